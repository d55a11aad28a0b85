"""Losses (cross entropy, generalised cross entropy, soft bootstrapping), the clean validation split, coarse
label mappings for the transfer, loading pretrained weights across label sets, the linear-probe freeze, logit
adjustment and weight interpolation."""

import unittest

import numpy as np
import torch
import torch.nn.functional as F

from whytrain.data import coarse_mapping, parse_coarse_groups, validation_split
from whytrain.models import ArchSpec, ConvNet, load_pretrained
from whytrain.train import FitConfig, fit, interpolate_state, logit_adjustment, loss_fn, predict_logits


def tiny(num_classes=3, seed=0):
    torch.manual_seed(seed)
    return ConvNet(ArchSpec(name="tiny", convs=[(3, True), (4, True)], dense=[5], num_classes=num_classes,
                            in_shape=(8, 8, 1)))


class LossTest(unittest.TestCase):
    def setUp(self):
        g = torch.Generator().manual_seed(0)
        self.logits = torch.randn(7, 4, generator=g) * 2
        self.y = torch.tensor([0, 1, 2, 3, 0, 1, 3])
        self.w = torch.tensor([1.0, 2.0, 0.5, 3.0])

    def test_ce_is_pytorch_cross_entropy(self):
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y)), float(F.cross_entropy(self.logits, self.y)), 6)
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y, self.w)),
                               float(F.cross_entropy(self.logits, self.y, weight=self.w)), 6)

    def test_gce_limits(self):
        p_y = F.softmax(self.logits, 1).gather(1, self.y[:, None])[:, 0]
        # q = 1: mean absolute error on the true-class probability, 1 - p_y
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y, kind="gce", gce_q=1.0)), float((1 - p_y).mean()), 6)
        # q -> 0: cross entropy
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y, kind="gce", gce_q=1e-4)),
                               float(F.cross_entropy(self.logits, self.y)), 3)
        # bounded by 1/q whatever the logits
        huge = torch.tensor([[50.0, -50.0]])
        self.assertLessEqual(float(loss_fn(huge, torch.tensor([1]), kind="gce", gce_q=0.7)), 1 / 0.7 + 1e-6)

    def test_gce_weighted_mean(self):
        p_y = F.softmax(self.logits, 1).gather(1, self.y[:, None])[:, 0]
        per = (1 - p_y ** 0.5) / 0.5
        w = self.w[self.y]
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y, self.w, "gce", 0.5)), float((w * per).sum() / w.sum()), 6)

    def test_gce_downweights_confident_mistakes(self):
        # the gradient w.r.t. a logit of an example the model is sure is another class is smaller under GCE
        x = torch.tensor([[6.0, 0.0, 0.0]], requires_grad=True)
        y = torch.tensor([1])
        g_ce = torch.autograd.grad(loss_fn(x, y, kind="ce"), x)[0].abs().sum()
        g_gce = torch.autograd.grad(loss_fn(x, y, kind="gce", gce_q=0.7), x)[0].abs().sum()
        self.assertLess(float(g_gce), 0.1 * float(g_ce))

    def test_bootstrap(self):
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y, kind="bootstrap", bootstrap_beta=1.0)),
                               float(F.cross_entropy(self.logits, self.y)), 6)
        p = F.softmax(self.logits, 1)
        target = 0.6 * F.one_hot(self.y, 4) + 0.4 * p
        want = -(target * F.log_softmax(self.logits, 1)).sum(1).mean()
        self.assertAlmostEqual(float(loss_fn(self.logits, self.y, kind="bootstrap", bootstrap_beta=0.6)), float(want), 6)

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "unknown loss"):
            loss_fn(self.logits, self.y, kind="mse")
        with self.assertRaisesRegex(ValueError, r"q must be in \(0, 1\]"):
            loss_fn(self.logits, self.y, kind="gce", gce_q=0.0)
        with self.assertRaisesRegex(ValueError, "beta must be in"):
            loss_fn(self.logits, self.y, kind="bootstrap", bootstrap_beta=1.5)


class ValidationSplitTest(unittest.TestCase):
    def test_stratified_disjoint_covering_seeded(self):
        labels = np.repeat(np.arange(4), [100, 50, 10, 2])
        fit_i, val_i = validation_split(labels, 0.2, 0)
        self.assertEqual(len(np.intersect1d(fit_i, val_i)), 0)
        np.testing.assert_array_equal(np.sort(np.concatenate([fit_i, val_i])), np.arange(len(labels)))
        np.testing.assert_array_equal(np.bincount(labels[val_i], minlength=4), [20, 10, 2, 1])
        a, b = validation_split(labels, 0.2, 0), validation_split(labels, 0.2, 1)
        np.testing.assert_array_equal(a[1], val_i)
        self.assertFalse(np.array_equal(a[1], b[1]))

    def test_keeps_one_for_fitting_and_rejects_bad_fraction(self):
        labels = np.array([0, 0, 1, 1, 1, 2])
        fit_i, val_i = validation_split(labels, 0.9, 0)
        for c in (0, 1, 2):
            self.assertGreaterEqual((labels[fit_i] == c).sum(), 1)
        self.assertEqual(len(validation_split(labels, 0.0, 0)[1]), 0)
        with self.assertRaisesRegex(ValueError, r"\[0, 1\)"):
            validation_split(labels, 1.0, 0)


class CoarseTest(unittest.TestCase):
    NAMES = ["a", "b", "c", "d"]

    def test_mapping(self):
        groups = parse_coarse_groups("x:a|c; y:b ;z:d")
        self.assertEqual(groups, [("x", ["a", "c"]), ("y", ["b"]), ("z", ["d"])])
        m, names = coarse_mapping(self.NAMES, groups)
        np.testing.assert_array_equal(m, [0, 1, 0, 2])
        self.assertEqual(names, ["x", "y", "z"])

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, "needs a name"):
            parse_coarse_groups("a|b;x:c|d")
        with self.assertRaisesRegex(ValueError, "at least two"):
            parse_coarse_groups("x:a|b|c|d")
        with self.assertRaisesRegex(ValueError, "in no coarse group: d"):
            coarse_mapping(self.NAMES, parse_coarse_groups("x:a|b;y:c"))
        with self.assertRaisesRegex(ValueError, "more than one"):
            coarse_mapping(self.NAMES, parse_coarse_groups("x:a|b;y:b|c|d"))
        with self.assertRaisesRegex(ValueError, "unknown class"):
            coarse_mapping(self.NAMES, parse_coarse_groups("x:a|b;y:c|e"))


class PretrainedTest(unittest.TestCase):
    def test_same_classes_loads_everything(self):
        src, dst = tiny(3, 0), tiny(3, 1)
        self.assertTrue(load_pretrained(dst, src.state_dict()))
        for k, v in src.state_dict().items():
            self.assertTrue(torch.equal(v, dst.state_dict()[k]), k)

    def test_new_classes_load_body_keep_fresh_classifier(self):
        src, dst = tiny(3, 0), tiny(5, 1)
        fresh = {k: v.clone() for k, v in dst.state_dict().items()}
        self.assertFalse(load_pretrained(dst, src.state_dict()))
        last = len(dst.head) - 1
        for k, v in dst.state_dict().items():
            if k.startswith(f"head.{last}."):
                self.assertTrue(torch.equal(v, fresh[k]), k)
            else:
                self.assertTrue(torch.equal(v, src.state_dict()[k]), k)

    def test_other_architecture_rejected(self):
        other = ConvNet(ArchSpec(name="o", convs=[(2, True), (4, True)], dense=[5], num_classes=3, in_shape=(8, 8, 1)))
        with self.assertRaisesRegex(ValueError, "does not fit"):
            load_pretrained(tiny(3), other.state_dict())


class FreezeTest(unittest.TestCase):
    def _fit(self, freeze):
        m = tiny(3, 0)
        before = {k: v.clone() for k, v in m.state_dict().items()}
        rng = np.random.default_rng(0)
        imgs = rng.integers(0, 256, (32, 8, 8), dtype=np.uint8)
        labels = rng.integers(0, 3, 32)
        fit(m, imgs, labels, FitConfig(epochs=1, lr=1e-2, batch_size=8, freeze_blocks=freeze, label="t"))
        changed = {k for k, v in m.state_dict().items() if not torch.equal(v, before[k])}
        self.assertTrue(all(p.requires_grad for p in m.parameters()))  # restored after fit
        return m, changed

    def test_linear_probe_trains_only_the_classifier(self):
        m, changed = self._fit(freeze=3)  # 2 conv blocks: 3 > 2 freezes fc1 too
        last = len(m.head) - 1
        self.assertEqual(changed, {f"head.{last}.weight", f"head.{last}.bias"})

    def test_frozen_conv_trains_dense_layers(self):
        m, changed = self._fit(freeze=2)
        self.assertIn("head.1.weight", changed)  # fc1
        self.assertFalse(any(k.startswith("features.") for k in changed))

    def test_no_freeze_trains_conv(self):
        _, changed = self._fit(freeze=0)
        self.assertIn("features.0.0.weight", changed)


class FineTuneControlsTest(unittest.TestCase):
    def _data(self):
        rng = np.random.default_rng(1)
        return rng.integers(0, 256, (32, 8, 8), dtype=np.uint8), rng.integers(0, 3, 32)

    def test_bn_frozen_keeps_running_statistics(self):
        imgs, labels = self._data()
        for frozen in (True, False):
            m = tiny(3, 0)
            before = {k: v.clone() for k, v in m.state_dict().items() if "running_" in k}
            fit(m, imgs, labels, FitConfig(epochs=1, lr=1e-2, batch_size=8, label="t", bn_frozen=frozen))
            same = all(torch.equal(m.state_dict()[k], v) for k, v in before.items())
            self.assertEqual(same, frozen)
            self.assertTrue(before)

    def test_early_stopping_restores_the_best_epoch(self):
        imgs, labels = self._data()
        m = tiny(3, 0)
        start = {k: v.clone() for k, v in m.state_dict().items()}
        # a score that only the untrained weights reach: epoch 0 must be kept, weights restored exactly
        scores = iter([1.0, 0.5, 0.2, 0.7])
        fl = fit(m, imgs, labels, FitConfig(epochs=3, lr=1e-2, batch_size=8, label="t",
                                            val_score=lambda _m: next(scores)))
        self.assertEqual(fl.best_epoch, 0)
        self.assertEqual(fl.val_scores, [1.0, 0.5, 0.2, 0.7])
        self.assertTrue(all(torch.equal(m.state_dict()[k], v) for k, v in start.items()))
        scores2 = iter([0.1, 0.5, 0.9, 0.9])  # ties keep the earlier epoch
        fl2 = fit(tiny(3, 0), imgs, labels, FitConfig(epochs=3, lr=1e-2, batch_size=8, label="t",
                                                      val_score=lambda _m: next(scores2)))
        self.assertEqual(fl2.best_epoch, 2)

    def test_stop_after_replays_a_prefix_of_the_schedule(self):
        imgs, labels = self._data()
        fl = fit(tiny(3, 0), imgs, labels, FitConfig(epochs=5, lr=1e-2, batch_size=8, label="t", stop_after=2))
        self.assertEqual(len(fl.epochs), 2)
        m0 = tiny(3, 0)
        before = {k: v.clone() for k, v in m0.state_dict().items()}
        fit(m0, imgs, labels, FitConfig(epochs=5, lr=1e-2, batch_size=8, label="t", stop_after=0))
        self.assertTrue(all(torch.equal(m0.state_dict()[k], v) for k, v in before.items()))


class LogitAdjustTest(unittest.TestCase):
    def test_log_priors_centred(self):
        labels = np.array([0] * 90 + [1] * 10)
        adj = logit_adjustment(labels, 3, tau=1.0)  # class 2 absent: counted as one example
        self.assertAlmostEqual(float(adj.sum()), 0.0, 5)
        self.assertAlmostEqual(float(adj[0] - adj[1]), float(np.log(9)), 5)
        self.assertAlmostEqual(float(adj[1] - adj[2]), float(np.log(10)), 5)
        np.testing.assert_allclose(logit_adjustment(np.array([0, 1, 2, 0, 1, 2]), 3), 0, atol=1e-7)
        self.assertAlmostEqual(float(logit_adjustment(labels, 2, tau=0.5)[0] * 2),
                               float(logit_adjustment(labels, 2)[0]), 5)

    def test_fit_learns_the_balanced_rule(self):
        # identical (blank) images, 90 % class 0: cross entropy's optimum is the prior, logit gap log 9 = 2.2;
        # with the logit-adjusted loss the raw logits are balanced (gap 0)
        imgs = np.zeros((100, 8, 8), np.uint8)
        labels = np.array([0] * 90 + [1] * 10)
        gaps = {}
        for name, adj in (("ce", None), ("la", logit_adjustment(labels, 2))):
            torch.manual_seed(0)
            m = tiny(2, 0)
            fit(m, imgs, labels, FitConfig(epochs=60, lr=3e-2, batch_size=100, label="t", weight_decay=0.0,
                                           logit_adjust=adj))
            z = predict_logits(m, imgs[:1])[0]
            gaps[name] = float(z[0] - z[1])
        self.assertAlmostEqual(gaps["ce"], float(np.log(9)), delta=0.25)
        self.assertAlmostEqual(gaps["la"], 0.0, delta=0.25)


class InterpolateTest(unittest.TestCase):
    def test_endpoints_midpoint_and_int_buffers(self):
        a, b = tiny(3, 0), tiny(3, 1)
        b.train()
        b(torch.rand(4, 1, 8, 8))  # moves b's BatchNorm statistics and batch counter
        pa, pb = a.state_dict(), b.state_dict()
        for alpha, want in ((0.0, pa), (1.0, pb)):
            got = interpolate_state(pa, pb, alpha)
            for k in pa:
                if pa[k].is_floating_point():
                    self.assertTrue(torch.allclose(got[k], want[k], atol=1e-7), k)
        mid = interpolate_state(pa, pb, 0.5)
        k = "classifier.weight" if "classifier.weight" in pa else next(k for k in pa if k.endswith("weight"))
        self.assertTrue(torch.allclose(mid[k], (pa[k] + pb[k]) / 2, atol=1e-7))
        ints = [k for k in pb if not pb[k].is_floating_point()]
        self.assertTrue(ints)
        for k in ints:
            self.assertTrue(torch.equal(mid[k], pb[k]))
            self.assertFalse(torch.equal(mid[k], pa[k]))
        m = tiny(3, 2)
        m.load_state_dict(mid)  # loads into the same architecture

    def test_mismatch_rejected(self):
        with self.assertRaises(ValueError):
            interpolate_state(tiny(3, 0).state_dict(), tiny(4, 0).state_dict(), 0.5)
        sd = tiny(3, 0).state_dict()
        with self.assertRaises(ValueError):
            interpolate_state(sd, {k: v for k, v in list(sd.items())[1:]}, 0.5)


if __name__ == "__main__":
    unittest.main()
