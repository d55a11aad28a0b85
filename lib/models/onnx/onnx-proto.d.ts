/**
 * Types of the messages decoded by `onnx-proto.js`, which protobufjs-cli generated from the official
 * `onnx.proto` (ONNX 1.12, IR version 8) as static code on `protobufjs/minimal` — no reflection, no
 * `eval`/`Function`, so it runs in a worker under a CSP without 'unsafe-eval'. Generated (git-ignored) by
 * `npm install` (scripts/corpus/generate-onnx-proto.mjs). Only the fields we read are typed; int64 fields decode to
 * a number or a `Long` (when the `long` package is present) — read them with `toNum` (proto.ts).
 */
export type Int64 = number | { low: number; high: number; unsigned: boolean; toNumber(): number };

export interface TensorProto {
  dims: Int64[];
  dataType: number;
  floatData: number[];
  int32Data: number[];
  int64Data: Int64[];
  doubleData: number[];
  uint64Data: Int64[];
  name: string;
  rawData: Uint8Array;
  externalData: { key: string; value: string }[];
  /** 0 DEFAULT, 1 EXTERNAL */
  dataLocation: number;
}

export interface AttributeProto {
  name: string;
  /** 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS, 8 STRINGS … */
  type: number;
  f: number;
  i: Int64;
  s: Uint8Array;
  t?: TensorProto | null;
  floats: number[];
  ints: Int64[];
  strings: Uint8Array[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain: string;
  attribute: AttributeProto[];
}

export interface TensorShapeDim {
  dimValue?: Int64 | null;
  dimParam?: string | null;
}

export interface ValueInfoProto {
  name: string;
  type?: { tensorType?: { elemType: number; shape?: { dim: TensorShapeDim[] } | null } | null } | null;
}

export interface GraphProto {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
}

export interface ModelProto {
  irVersion: Int64;
  opsetImport: { domain: string; version: Int64 }[];
  producerName: string;
  producerVersion: string;
  graph?: GraphProto | null;
}

export declare const onnx: {
  ModelProto: { decode(reader: Uint8Array): ModelProto };
};
