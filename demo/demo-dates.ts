// Dates in the demo intranet that follow the calendar: a page may write `{{today+30}}` (or
// `{{today-7}}`) where a date belongs, and the demo server fills in that day as dd/mm/yyyy, so one
// policy is always due for review 30 days from now, whatever day the demo or a test runs.

const TOKEN = /\{\{today([+-]\d{1,4})\}\}/g;

/** Today's date `YYYY-MM-DD` in this machine's time zone (the browser's, when both run here). */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** `html` with every `{{today±N}}` replaced by the date N days from `today` (`YYYY-MM-DD`). */
export function fillDemoDates(html: string, today: string = localToday()): string {
  return html.replace(TOKEN, (_, offset: string) => {
    const [y, m, d] = today.split('-').map(Number);
    const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + Number(offset)));
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(date.getUTCDate())}/${p(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
  });
}
