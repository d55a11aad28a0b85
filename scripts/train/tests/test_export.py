"""Exporter layout conversion: a tiny conv+BN+flatten+dense model, evaluated after export by an independent
numpy NHWC implementation of the exported graph (export_tfjs.reference_forward)."""

import json
import os
import tempfile
import unittest

import numpy as np
import torch

from whytrain.export_tfjs import (chw_to_hwc_rows, export_layers_model, import_layers_model, load_exported,
                                  reference_forward)
from whytrain.models import ArchSpec, ConvNet


def tiny_model(seed=0):
    torch.manual_seed(seed)
    spec = ArchSpec(name="tiny", convs=[(3, True), (4, False)], dense=[5], num_classes=3, in_shape=(6, 6, 1))
    m = ConvNet(spec)
    for mod in m.modules():  # non-trivial BatchNorm statistics so folding matters
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.5, 0.5)
            mod.running_var.uniform_(0.3, 2.0)
            mod.weight.data.uniform_(0.5, 1.5)
            mod.bias.data.uniform_(-0.3, 0.3)
    return m.eval()


class ExportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_import_is_the_inverse_of_export_in_eval_mode(self):
        m = tiny_model()
        export_layers_model(m, self.out, "tiny")
        back = tiny_model(seed=5)  # other weights, overwritten by the import
        import_layers_model(back, self.out)
        back.eval()
        x = torch.from_numpy(np.random.default_rng(1).random((6, 1, 6, 6)).astype(np.float32))
        with torch.no_grad():
            self.assertLess((back(x) - m(x)).abs().max().item(), 1e-5)
        for mod in back.modules():  # BN folded: identity statistics
            if isinstance(mod, torch.nn.BatchNorm2d):
                self.assertTrue(torch.all(mod.weight == 1) and torch.all(mod.running_mean == 0))

    def test_flatten_permutation_known_answer(self):
        # C=2, H=1, W=2: torch order (c,h,w) = [c0w0, c0w1, c1w0, c1w1]; keras order (h,w,c) = [w0c0, w0c1, w1c0, w1c1]
        w = np.array([[10.0, 11.0, 12.0, 13.0]])
        np.testing.assert_array_equal(chw_to_hwc_rows(w, 2, 1, 2)[:, 0], [10, 12, 11, 13])

    def test_exported_graph_matches_torch(self):
        m = tiny_model()
        info = export_layers_model(m, self.out, "tiny")
        x = np.random.default_rng(0).random((7, 6, 6)).astype(np.float32)
        with torch.no_grad():
            want = m(torch.from_numpy(x[:, None])).numpy()
        got = reference_forward(self.out, x[..., None])
        self.assertLess(np.abs(got - want).max(), 1e-5)
        np.testing.assert_array_equal(got.argmax(1), want.argmax(1))
        self.assertEqual(info["params"], 3 * 9 + 3 + 4 * 3 * 9 + 4 + 4 * 3 * 3 * 5 + 5 + 5 * 3 + 3)

    def test_without_flatten_permutation_it_would_differ(self):
        # Guards the test above: feeding the torch-order flatten into the exported dense gives other logits.
        m = tiny_model(1)
        export_layers_model(m, self.out, "tiny")
        mj, w = load_exported(self.out)
        x = np.random.default_rng(1).random((5, 6, 6)).astype(np.float32)
        with torch.no_grad():
            feats = m.features[1](m.features[0](torch.from_numpy(x[:, None])))
            want = m.head(feats).numpy()
            wrong_dense_in = feats.reshape(5, -1).numpy()  # CHW order
        fc = wrong_dense_in @ w["fc1/kernel"] + w["fc1/bias"]
        wrong = np.maximum(fc, 0) @ w["logits/kernel"] + w["logits/bias"]
        self.assertGreater(np.abs(wrong - want).max(), 1e-2)

    def test_model_json_shape(self):
        export_layers_model(tiny_model(), self.out, "tiny-model")
        with open(os.path.join(self.out, "model.json")) as fh:
            mj = json.load(fh)
        self.assertEqual(mj["format"], "layers-model")
        self.assertIn("generatedBy", mj)
        self.assertIn("convertedBy", mj)
        layers = mj["modelTopology"]["config"]["layers"]
        self.assertEqual(layers[0]["class_name"], "InputLayer")
        self.assertEqual(layers[0]["config"]["batch_input_shape"], [None, 6, 6, 1])
        names = [l["config"]["name"] for l in layers]
        self.assertEqual(names, ["input", "conv1", "relu1", "pool1", "conv2", "relu2", "flatten", "fc1",
                                 "fc1_relu", "dropout1", "logits"])
        self.assertTrue(all(l["config"].get("activation", "linear") == "linear" for l in layers))
        specs = mj["weightsManifest"][0]["weights"]
        self.assertEqual(specs[0], {"name": "conv1/kernel", "shape": [3, 3, 1, 3], "dtype": "float32"})
        total = sum(int(np.prod(s["shape"])) for s in specs) * 4
        self.assertEqual(os.path.getsize(os.path.join(self.out, mj["weightsManifest"][0]["paths"][0])), total)

    def test_bn_folding_is_exact_for_conv_kernel(self):
        m = tiny_model(2)
        export_layers_model(m, self.out, "tiny")
        _, w = load_exported(self.out)
        conv, bn = m.features[0][0], m.features[0][1]
        g = (bn.weight / torch.sqrt(bn.running_var + bn.eps)).detach().numpy()
        want = (conv.weight.detach().numpy() * g[:, None, None, None]).transpose(2, 3, 1, 0)
        np.testing.assert_allclose(w["conv1/kernel"], want, rtol=1e-6)
        want_b = bn.bias.detach().numpy() - bn.running_mean.numpy() * g
        np.testing.assert_allclose(w["conv1/bias"], want_b, rtol=1e-5, atol=1e-7)



class HeadTest(unittest.TestCase):
    def test_reinit_head_resets_only_the_classifier(self):
        m = tiny_model(3)
        before = {k: v.clone() for k, v in m.state_dict().items()}
        torch.manual_seed(99)
        m.reinit_head()
        after = m.state_dict()
        changed = {k for k in before if not torch.equal(before[k], after[k])}
        last = len(m.head) - 1
        self.assertEqual(changed, {f"head.{last}.weight", f"head.{last}.bias"})
        head_ids = {id(p) for p in m.head_parameters()}
        self.assertEqual(head_ids, {id(m.classifier.weight), id(m.classifier.bias)})
        self.assertTrue(all(id(p) not in head_ids for p in m.body_parameters()))
        self.assertEqual(len(m.body_parameters()) + 2, len(list(m.parameters())))


if __name__ == "__main__":
    unittest.main()
