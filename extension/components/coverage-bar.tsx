import type { Tally } from '../../shared/coverage';

/** Share of applicable criteria with fresh evidence, as a labelled meter. */
export function CoverageBar({ tally, label }: { tally: Tally; label: string }) {
  const pct = tally.applicable ? Math.round((tally.covered / tally.applicable) * 100) : 0;
  return (
    <div class="coverage">
      <div class="coverage-text">
        <span>{label}</span>
        <strong>
          {tally.covered} of {tally.applicable} criteria evidenced ({pct}%)
        </strong>
      </div>
      <meter class="meter" aria-label={label} min={0} max={100} value={pct}>
        {pct}%
      </meter>
    </div>
  );
}
