// The words beside every control the organisation's policy locks. Its own module with no imports:
// the popup's first paint loads it (components/managed-note.tsx) and must stay small.
export const MANAGED_TEXT = 'Managed by your organisation';
