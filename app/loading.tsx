export default function Loading() {
  return <p className="text-sm text-fg-subtle">Loading…</p>;
}
