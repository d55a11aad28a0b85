"""Label noise, class weights, oversampling, hard-example mining, clean subsets, eval subsets, augmentation."""

import unittest

import numpy as np

from whytrain.data import (
    FASHION_CONFUSION_GROUPS,
    FASHION_LABELS,
    EpochSampler,
    apply_noise,
    augment_batch,
    clean_budget,
    group_indices,
    hardest,
    inverse_frequency_weights,
    noise_transition_matrix,
    oversampling_weights,
    parse_class_weights,
    select_clean_subset,
    stratified_eval_indices,
)

GROUPS = group_indices(FASHION_LABELS, FASHION_CONFUSION_GROUPS)
UPPER = set(GROUPS[0])  # T-shirt, Shirt, Pullover, Coat, Dress
SHOES = set(GROUPS[1])  # Sneaker, Sandal, Ankle boot


class NoiseTest(unittest.TestCase):
    def test_matrix_rows_and_pattern(self):
        T = noise_transition_matrix(10, GROUPS, 0.3, 0.0, seed=1)
        np.testing.assert_allclose(T.sum(axis=1), 1.0)
        for i in range(10):
            off = {j for j in range(10) if j != i and T[i, j] > 0}
            if i in UPPER:
                self.assertEqual(off, UPPER - {i})
                self.assertAlmostEqual(T[i, i], 0.7)
            elif i in SHOES:
                self.assertEqual(off, SHOES - {i})
            else:  # Trouser, Bag: untouched
                self.assertEqual(off, set())
                self.assertEqual(T[i, i], 1.0)

    def test_class_dependent_and_seeded(self):
        a = noise_transition_matrix(10, GROUPS, 0.3, 0.0, seed=1)
        b = noise_transition_matrix(10, GROUPS, 0.3, 0.0, seed=1)
        c = noise_transition_matrix(10, GROUPS, 0.3, 0.0, seed=2)
        np.testing.assert_array_equal(a, b)
        self.assertGreater(np.abs(a - c).max(), 1e-3)
        shirt = FASHION_LABELS.index("Shirt")
        partners = sorted(UPPER - {shirt})
        self.assertGreater(np.ptp(a[shirt, partners]), 1e-3)  # not a uniform split over partners

    def test_uniform_part(self):
        T = noise_transition_matrix(10, GROUPS, 0.2, 0.09, seed=0)
        trouser = FASHION_LABELS.index("Trouser")
        np.testing.assert_allclose(T[trouser, [j for j in range(10) if j != trouser]], 0.01)
        self.assertAlmostEqual(T[trouser, trouser], 0.91)
        self.assertAlmostEqual(T[0, 0], 1 - 0.2 - 0.09)
        with self.assertRaises(ValueError):
            noise_transition_matrix(10, GROUPS, 0.8, 0.3, seed=0)

    def test_apply_noise_rate_and_reproducible(self):
        rng = np.random.default_rng(0)
        labels = rng.integers(0, 10, size=100_000)
        T = noise_transition_matrix(10, GROUPS, 0.3, 0.0, seed=3)
        weak = apply_noise(labels, T, seed=3)
        np.testing.assert_array_equal(weak, apply_noise(labels, T, seed=3))
        self.assertFalse(np.array_equal(weak, apply_noise(labels, T, seed=4)))
        for c in range(10):
            m = labels == c
            emp = np.bincount(weak[m], minlength=10) / m.sum()
            np.testing.assert_allclose(emp, T[c], atol=0.012)
        grouped = np.isin(labels, sorted(UPPER | SHOES))
        self.assertAlmostEqual((weak != labels)[grouped].mean(), 0.3, delta=0.01)
        self.assertEqual((weak != labels)[~grouped].sum(), 0)


class WeightsAndSamplingTest(unittest.TestCase):
    def test_inverse_frequency(self):
        labels = np.array([0] * 80 + [1] * 15 + [2] * 5)
        w = inverse_frequency_weights(labels, 4)
        np.testing.assert_allclose(w[:3], [100 / (3 * 80), 100 / (3 * 15), 100 / (3 * 5)])
        self.assertEqual(w[3], 0.0)  # absent class
        self.assertAlmostEqual(w[labels].mean(), 1.0)  # mean weight over examples is 1
        self.assertAlmostEqual(w[2] / w[0], 16.0)

    def test_parse_class_weights(self):
        labels = np.array([0, 0, 1])
        self.assertIsNone(parse_class_weights("none", labels, 2))
        np.testing.assert_allclose(parse_class_weights("1,3.5", labels, 2), [1, 3.5])
        inv = parse_class_weights("inverse", labels, 2)
        np.testing.assert_allclose(parse_class_weights("sqrt", labels, 2), np.sqrt(inv))
        with self.assertRaises(ValueError):
            parse_class_weights("1,2,3", labels, 2)

    def test_oversampling_rate(self):
        labels = np.array([0] * 900 + [1] * 100)
        sampler = EpochSampler(len(labels), seed=0, weights=oversampling_weights(labels, [1], 4.0))
        drawn = np.concatenate([sampler.epoch() for _ in range(50)])
        frac_rare = (labels[drawn] == 1).mean()
        self.assertAlmostEqual(frac_rare, 400 / 1300, delta=0.01)  # 100*4 / (900 + 100*4)
        bal = EpochSampler(len(labels), seed=0, weights=oversampling_weights(labels, [1], 0))
        drawn = np.concatenate([bal.epoch() for _ in range(50)])
        self.assertAlmostEqual((labels[drawn] == 1).mean(), 0.5, delta=0.01)

    def test_plain_epoch_is_seeded_permutation(self):
        a, b = EpochSampler(100, seed=5), EpochSampler(100, seed=5)
        e = a.epoch()
        np.testing.assert_array_equal(np.sort(e), np.arange(100))
        np.testing.assert_array_equal(e, b.epoch())

    def test_hard_example_mining(self):
        losses = np.linspace(0, 1, 1000)
        losses[[3, 10, 500]] = 10.0
        hard = hardest(losses, 0.01)
        self.assertEqual(len(hard), 10)
        self.assertTrue({3, 10, 500} <= set(hard.tolist()))
        self.assertTrue(all(losses[i] >= 0.99 for i in hard))
        s = EpochSampler(1000, seed=0)
        s.set_hard(hard, boost=5.0)
        drawn = np.concatenate([s.epoch() for _ in range(40)])
        counts = np.bincount(drawn, minlength=1000)
        hard_rate = counts[hard].mean() / 40
        easy_rate = np.delete(counts, hard).mean() / 40
        self.assertAlmostEqual(hard_rate / easy_rate, 5.0, delta=0.5)
        self.assertAlmostEqual(hard_rate, 5 * 1000 / (990 + 50), delta=0.3)


class SubsetTest(unittest.TestCase):
    def test_clean_budget_and_selection(self):
        budget = clean_budget(10, 240, [4, 6], 0.1)
        self.assertEqual(budget.tolist(), [240, 240, 240, 240, 24, 240, 24, 240, 240, 240])
        labels = np.repeat(np.arange(10), 600)
        idx = select_clean_subset(labels, budget, seed=0)
        np.testing.assert_array_equal(np.bincount(labels[idx], minlength=10), budget)
        np.testing.assert_array_equal(idx, select_clean_subset(labels, budget, seed=0))
        self.assertEqual(len(set(idx.tolist())), len(idx))

    def test_stratified_eval_interleaved(self):
        labels = np.random.default_rng(1).integers(0, 10, 10_000)
        idx = stratified_eval_indices(labels, 200, seed=0, num_classes=10)
        self.assertEqual(len(idx), 2000)
        self.assertEqual(len(set(idx.tolist())), 2000)
        np.testing.assert_array_equal(labels[idx][:20], list(range(10)) * 2)
        np.testing.assert_array_equal(np.bincount(labels[idx]), [200] * 10)
        np.testing.assert_array_equal(idx, stratified_eval_indices(labels, 200, seed=0, num_classes=10))


class AugmentTest(unittest.TestCase):
    def test_flip_mirrors_about_half(self):
        img = np.zeros((200, 5, 5), np.uint8)
        img[:, 2, 0] = 9
        out = augment_batch(img, np.random.default_rng(0), 0, True)
        flipped = out[:, 2, 4] == 9
        np.testing.assert_array_equal(out[flipped], img[flipped][:, :, ::-1])
        np.testing.assert_array_equal(out[~flipped], img[~flipped])
        self.assertTrue(70 < flipped.sum() < 130)

    def test_shift_moves_pixel_by_at_most_max_shift(self):
        img = np.zeros((300, 7, 7), np.uint8)
        img[:, 3, 3] = 9
        out = augment_batch(img, np.random.default_rng(1), 2, False)
        seen = set()
        for o in out:
            ys, xs = np.nonzero(o)
            self.assertEqual(len(ys), 1)  # centre pixel never leaves a 7x7 frame with shift <= 2
            seen.add((int(ys[0]) - 3, int(xs[0]) - 3))
        self.assertEqual(seen, {(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3)})
        no_aug = augment_batch(img, np.random.default_rng(1), 0, False)
        np.testing.assert_array_equal(no_aug, img)

if __name__ == "__main__":
    unittest.main()
