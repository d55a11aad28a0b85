"""IDX reader: hand-made tiny files (raw and gzip) and corrupt headers -> clear errors."""

import gzip
import os
import struct
import tempfile
import unittest

import numpy as np

from whytrain.idx import IdxError, load_image_label_pair, parse_idx, read_idx, write_idx


def header(code, dims):
    return bytes([0, 0, code, len(dims)]) + struct.pack(">" + "I" * len(dims), *dims)


class IdxReaderTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, payload, gz=False):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as fh:
            fh.write(gzip.compress(payload) if gz else payload)
        return path

    def test_raw_uint8_images(self):
        pixels = bytes(range(2 * 3 * 4))
        path = self.write("img", header(0x08, [2, 3, 4]) + pixels)
        arr = read_idx(path)
        self.assertEqual(arr.shape, (2, 3, 4))
        self.assertEqual(arr.dtype, np.uint8)
        self.assertEqual(int(arr[1, 2, 3]), 23)
        self.assertEqual(int(arr[0, 1, 0]), 4)

    def test_gzip_detected_by_magic_not_name(self):
        path = self.write("labels.raw", header(0x08, [5]) + bytes([3, 1, 4, 1, 5]), gz=True)
        np.testing.assert_array_equal(read_idx(path), [3, 1, 4, 1, 5])

    def test_big_endian_int32_and_float32(self):
        ints = struct.pack(">3i", -2, 70000, 5)
        np.testing.assert_array_equal(parse_idx(header(0x0C, [3]) + ints), [-2, 70000, 5])
        floats = struct.pack(">2f", 1.5, -0.25)
        np.testing.assert_array_equal(parse_idx(header(0x0D, [1, 2]) + floats), [[1.5, -0.25]])

    def test_roundtrip_writer(self):
        a = (np.arange(60, dtype=np.uint8) * 3).reshape(3, 4, 5)
        for gz in (False, True):
            p = os.path.join(self.dir, f"rt{gz}")
            write_idx(p, a, compress=gz)
            np.testing.assert_array_equal(read_idx(p), a)

    def test_bad_magic(self):
        path = self.write("bad", b"\x01\x00\x08\x01" + struct.pack(">I", 1) + b"\x00")
        with self.assertRaisesRegex(IdxError, "bad magic"):
            read_idx(path)

    def test_unknown_dtype_code(self):
        with self.assertRaisesRegex(IdxError, r"unknown IDX element type code 0x07"):
            parse_idx(header(0x07, [1]) + b"\x00")

    def test_dims_do_not_match_length(self):
        with self.assertRaisesRegex(IdxError, "extra"):
            parse_idx(header(0x08, [2, 2]) + bytes(5))

    def test_truncated_data(self):
        with self.assertRaisesRegex(IdxError, "truncated data"):
            parse_idx(header(0x08, [10, 28, 28]) + bytes(100))

    def test_truncated_header(self):
        with self.assertRaisesRegex(IdxError, "header declares 3 dimensions"):
            parse_idx(bytes([0, 0, 8, 3]) + bytes(4))
        with self.assertRaisesRegex(IdxError, "too short"):
            parse_idx(b"\x00\x00")

    def test_corrupt_gzip(self):
        good = gzip.compress(header(0x08, [4]) + bytes(4))
        path = self.write("trunc.gz", good[: len(good) // 2])
        with self.assertRaisesRegex(IdxError, "gzip data is corrupt or truncated"):
            read_idx(path)

    def test_missing_file(self):
        with self.assertRaisesRegex(IdxError, "no such file"):
            read_idx(os.path.join(self.dir, "nope"))

    def test_image_label_count_mismatch(self):
        imgs = self.write("i", header(0x08, [2, 2, 2]) + bytes(8))
        labs = self.write("l", header(0x08, [3]) + bytes(3))
        with self.assertRaisesRegex(IdxError, "has 2 images but .* has 3 labels"):
            load_image_label_pair(imgs, labs)


if __name__ == "__main__":
    unittest.main()
