// A valid submission as the extension would freeze it (set hash included), for server tests.
import { createHash, randomUUID } from 'node:crypto';
import { type SubmissionContent, type SubmissionSet, submissionSetText } from '../../shared/submissions';

export const submissionFramework = {
  format: 'qsi-evidence-clipper/framework@1' as const,
  id: 'demo',
  name: 'Demo framework',
  domains: [
    {
      id: 'd1',
      title: 'Domain',
      standards: [
        {
          id: 's1',
          title: 'S1',
          criteria: [
            { id: 'demo:C1', code: 'C1', title: 'First' },
            { id: 'demo:C2', code: 'C2', title: 'Second' },
          ],
        },
      ],
    },
  ],
};

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

export function makeSubmission(over: { name?: string; quote?: string; id?: string } = {}): SubmissionContent {
  const at = '2026-03-01T09:00:00.000Z';
  const quote = over.quote ?? 'Reports are issued within 48 hours.';
  const set: SubmissionSet = {
    framework: submissionFramework,
    assessments: [
      { criterionId: 'demo:C1', rating: 'green', owner: 'Ada', action: '', comment: '', updatedAt: at },
    ],
    clips: [
      {
        id: '3f0c8c2e-7a51-4a6b-9a39-5d1f0e3b2c11',
        url: 'https://intranet.example.nhs.uk/policies/reporting',
        docKey: 'https://intranet.example.nhs.uk/policies/reporting',
        title: 'Reporting policy',
        selectors: [{ type: 'TextQuoteSelector', exact: quote }],
        quote,
        criteria: ['demo:C1'],
        note: '',
        docMeta: { version: '3.0', reviewDue: '2027-01-01' },
        createdBy: { id: 'm1', name: 'Ada' },
        createdAt: at,
        updatedAt: at,
        contentHash: sha(quote),
        status: 'exact',
      },
    ],
  };
  return {
    id: over.id ?? randomUUID(),
    name: over.name ?? 'Annual submission 2026',
    frozenAt: at,
    day: '2026-03-01',
    set,
    setHash: sha(submissionSetText(set)),
  };
}
