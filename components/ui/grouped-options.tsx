/** `<option>`s of a select, grouped into "bundled" and "user" sources (empty groups are left out). */
export function GroupedOptions({
  options,
  userLabel,
}: {
  options: readonly { id: string; name: string; source?: 'bundled' | 'user' }[];
  userLabel: string;
}) {
  const groups = [
    { label: 'Bundled', items: options.filter((o) => o.source === 'bundled') },
    { label: userLabel, items: options.filter((o) => o.source === 'user') },
  ];
  return (
    <>
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.items.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </optgroup>
        ))}
    </>
  );
}
