// "Publish to team": a team admin sends a framework to every member's install.
// Shown only to admins of a joined team; members receive published frameworks with their pulls.
import { useState } from 'preact/hooks';
import type { Framework } from '../../../shared/schemas';
import type { ClipperDb } from '../../lib/db';
import { sendToBackground } from '../../lib/send-to-background';
import { readTeam } from '../../lib/sync/state';
import { useLiveQuery } from '../../lib/use-live-query';

export function PublishFramework({ db, framework }: { db: ClipperDb; framework: Framework }) {
  const team = useLiveQuery(() => readTeam(db), [db]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (team?.role !== 'admin') return null;
  const publish = async () => {
    setBusy(true);
    const reply = await sendToBackground('publishFramework', { frameworkId: framework.id });
    setBusy(false);
    setMessage(
      reply.ok
        ? `Published to ${team.teamName}: members receive it with their next sync.`
        : reply.error.message,
    );
  };
  return (
    <>
      <button type="button" class="button secondary" disabled={busy} onClick={() => void publish()}>
        Publish to team<span class="visually-hidden"> — {framework.name}</span>
      </button>
      {message && (
        <p class="small" role="status">
          {message}
        </p>
      )}
    </>
  );
}
