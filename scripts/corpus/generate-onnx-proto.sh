#!/usr/bin/env bash
# Regenerates lib/models/onnx/onnx-proto.js (static decoder, protobufjs/minimal runtime: no eval/Function)
# from the official onnx.proto kept beside it. Decode-only: the app never writes ONNX.
set -euo pipefail
cd "$(dirname "$0")/../../lib/models/onnx"
npx pbjs -t static-module -w es6 --no-encode --no-verify --no-convert --no-delimited --no-create --no-service \
  --no-typeurl --force-number --no-comments -o onnx-proto.js onnx.proto
echo "wrote lib/models/onnx/onnx-proto.js"
