"""Reader (and writer) for the IDX file format used by MNIST and Fashion-MNIST.

Format (http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT"):

* bytes 0-1: zero
* byte 2: element type code (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)
* byte 3: number of dimensions ``ndim``
* then ``ndim`` big-endian uint32 sizes
* then the data, big-endian, row-major.

Files may be gzip-compressed; compression is detected from the gzip magic bytes (1f 8b), not from the
file name. Every malformed input raises :class:`IdxError` with a message that names the file and says what
is wrong (bad magic, unknown type code, sizes that do not match the file length, truncated data).
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from typing import Union

import numpy as np

#: IDX type code -> numpy big-endian dtype.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

GZIP_MAGIC = b"\x1f\x8b"


class IdxError(ValueError):
    """A file is not a valid IDX file (or not a valid gzip of one)."""


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        raw = fh.read()
    if raw[:2] == GZIP_MAGIC:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise IdxError(f"{path}: gzip data is corrupt or truncated ({exc})") from exc
    return raw


def parse_idx(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Parse an uncompressed IDX byte string into a native-endian numpy array of its declared shape."""
    if len(data) < 4:
        raise IdxError(f"{name}: file is {len(data)} bytes, too short for an IDX header (needs >= 4)")
    if data[0] != 0 or data[1] != 0:
        raise IdxError(
            f"{name}: bad magic number 0x{data[0]:02x}{data[1]:02x}{data[2]:02x}{data[3]:02x}: an IDX file "
            "starts with two zero bytes, then a type code and the number of dimensions"
        )
    code, ndim = data[2], data[3]
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02x}" for c in sorted(IDX_DTYPES))
        raise IdxError(f"{name}: unknown IDX element type code 0x{code:02x} (known: {known})")
    if ndim == 0:
        raise IdxError(f"{name}: IDX header declares 0 dimensions")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IdxError(
            f"{name}: header declares {ndim} dimensions ({header_len} header bytes) but the file has only "
            f"{len(data)} bytes"
        )
    dims = struct.unpack(">" + "I" * ndim, data[4:header_len])
    dtype = IDX_DTYPES[code]
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header_len
    if actual < expected:
        raise IdxError(
            f"{name}: truncated data: dims {list(dims)} of {dtype.name} need {expected} bytes after the "
            f"header, found {actual}"
        )
    if actual > expected:
        raise IdxError(
            f"{name}: dims {list(dims)} of {dtype.name} need {expected} data bytes but the file has {actual} "
            f"({actual - expected} extra): the header does not match the file length"
        )
    arr = np.frombuffer(data, dtype=dtype, offset=header_len, count=int(np.prod(dims, dtype=np.int64)))
    return arr.reshape(dims).astype(dtype.newbyteorder("="), copy=True)


def read_idx(path: Union[str, os.PathLike]) -> np.ndarray:
    """Read an IDX file (raw or gzip, detected by magic bytes)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise IdxError(f"{path}: no such file")
    return parse_idx(_read_bytes(path), path)


def write_idx(path: Union[str, os.PathLike], arr: np.ndarray, compress: bool = False) -> None:
    """Write ``arr`` as IDX (used by tests and for exporting subsets). Type is taken from ``arr.dtype``."""
    inverse = {v.newbyteorder("="): k for k, v in IDX_DTYPES.items()}
    dt = np.dtype(arr.dtype).newbyteorder("=")
    if dt not in inverse:
        raise IdxError(f"cannot write dtype {arr.dtype} as IDX")
    header = bytes([0, 0, inverse[dt], arr.ndim]) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    body = np.ascontiguousarray(arr).astype(IDX_DTYPES[inverse[dt]]).tobytes()
    payload = header + body
    if compress:
        payload = gzip.compress(payload, mtime=0)
    with open(os.fspath(path), "wb") as fh:
        fh.write(payload)


def load_image_label_pair(images_path: str, labels_path: str) -> "tuple[np.ndarray, np.ndarray]":
    """Load images [N,H,W] uint8 and labels [N] int64, checking that they agree."""
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3:
        raise IdxError(f"{images_path}: expected images with 3 dims [N,H,W], got shape {list(images.shape)}")
    if labels.ndim != 1:
        raise IdxError(f"{labels_path}: expected labels with 1 dim [N], got shape {list(labels.shape)}")
    if images.shape[0] != labels.shape[0]:
        raise IdxError(
            f"{images_path} has {images.shape[0]} images but {labels_path} has {labels.shape[0]} labels"
        )
    if images.dtype != np.uint8:
        raise IdxError(f"{images_path}: expected uint8 pixels, got {images.dtype}")
    return images, labels.astype(np.int64)
