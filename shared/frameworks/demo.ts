// The demo framework used by the demo intranet and the tests. Its codes are our own and
// deliberately prefixed DEMO- so nobody mistakes them for the colleges' QSI criteria.
import { criterionId, FRAMEWORK_FORMAT, type Framework } from '../schemas';

export const DEMO_FRAMEWORK_ID = 'demo';

type Row = [code: string, title: string];
type StandardRows = [id: string, title: string, rows: Row[]];
type DomainRows = [id: string, title: string, standards: StandardRows[]];

const tree: DomainRows[] = [
  [
    'leadership',
    'Leadership and governance',
    [
      [
        'lm-quality',
        'Quality management system',
        [
          ['DEMO-LM-01', 'Controlled documents have an owner, a version and a review date'],
          ['DEMO-LM-02', 'Policies are reviewed before their review date'],
          ['DEMO-LM-03', 'An internal audit programme covers every modality'],
          ['DEMO-LM-04', 'Non-conformities lead to corrective and preventive actions'],
          ['DEMO-LM-05', 'Management review meets at least annually with minutes'],
        ],
      ],
      [
        'lm-leadership',
        'Leadership and accountability',
        [
          ['DEMO-LM-06', 'A named lead is accountable for imaging quality'],
          ['DEMO-LM-07', 'Roles and responsibilities are written down for every staff group'],
          ['DEMO-LM-08', 'Risks are recorded on a risk register and reviewed'],
          ['DEMO-LM-09', 'Business continuity plans cover loss of equipment and IT'],
        ],
      ],
    ],
  ],
  [
    'clinical',
    'Clinical practice and radiation safety',
    [
      [
        'cl-exposure',
        'Justification and optimisation',
        [
          ['DEMO-CL-01', 'Patients are positively identified before every exposure'],
          ['DEMO-CL-02', 'Entitlement of referrers, practitioners and operators is recorded'],
          ['DEMO-CL-03', 'Pregnancy enquiries are made and recorded where relevant'],
          ['DEMO-CL-04', 'Local diagnostic reference levels are set and reviewed'],
          ['DEMO-CL-05', 'Each exposure has a recorded clinical evaluation'],
          ['DEMO-CL-06', 'Accidental and unintended exposures are investigated and reported'],
        ],
      ],
      [
        'cl-protocols',
        'Protocols and reporting',
        [
          ['DEMO-CL-07', 'Written protocols exist for each standard examination'],
          ['DEMO-CL-08', 'Referral guidelines are available to referrers'],
          ['DEMO-CL-09', 'Report turnaround times are monitored'],
          ['DEMO-CL-10', 'Discrepancies are discussed at learning meetings'],
          ['DEMO-CL-11', 'Urgent and unexpected findings are communicated promptly'],
        ],
      ],
    ],
  ],
  [
    'facilities',
    'Facilities, equipment and workforce',
    [
      [
        'fr-equipment',
        'Equipment',
        [
          ['DEMO-FR-01', 'Equipment is procured against a documented specification'],
          ['DEMO-FR-02', 'Equipment has an inventory with age and replacement date'],
          ['DEMO-FR-03', 'Quality control tests run at set intervals with records'],
          ['DEMO-FR-04', 'Planned maintenance is scheduled and recorded'],
          ['DEMO-FR-05', 'Faults are reported and equipment is taken out of use when unsafe'],
        ],
      ],
      [
        'fr-workforce',
        'Workforce and competence',
        [
          ['DEMO-FR-06', 'Staff have a documented induction'],
          ['DEMO-FR-07', 'Competence is assessed before independent practice'],
          ['DEMO-FR-08', 'Competence is reviewed at set intervals'],
          ['DEMO-FR-09', 'Training records are kept for every staff member'],
          ['DEMO-FR-10', 'Workforce planning matches demand'],
        ],
      ],
    ],
  ],
  [
    'patient',
    'Patient experience',
    [
      [
        'pe-information',
        'Information and consent',
        [
          ['DEMO-PE-01', 'Patients receive information before their examination'],
          ['DEMO-PE-02', 'Benefits and risks of exposure are explained'],
          ['DEMO-PE-03', 'Consent is obtained and recorded where required'],
          ['DEMO-PE-04', 'A chaperone is offered for intimate examinations'],
        ],
      ],
      [
        'pe-feedback',
        'Feedback and dignity',
        [
          ['DEMO-PE-05', 'Patient feedback is collected and acted upon'],
          ['DEMO-PE-06', 'Complaints are investigated and learning is shared'],
          ['DEMO-PE-07', 'Privacy and dignity are maintained in changing areas'],
          ['DEMO-PE-08', 'Reasonable adjustments are made for patients who need them'],
          ['DEMO-PE-09', 'Waiting times are published and monitored'],
          ['DEMO-PE-10', 'Patients can give feedback in accessible formats'],
        ],
      ],
    ],
  ],
];

/** "Demo framework — not QSI": 40 made-up criteria over 4 domains, for the demo and tests. */
export const demoFramework: Framework = {
  format: FRAMEWORK_FORMAT,
  id: DEMO_FRAMEWORK_ID,
  name: 'Demo framework — not QSI',
  edition: 'demo-1',
  source: 'Written by the QSI Evidence Clipper team for demonstrations and tests.',
  notice:
    'Demonstration data only. These criteria are NOT the Quality Standard for Imaging. Import your team’s criteria list to work on QSI.',
  domains: tree.map(([id, title, standards]) => ({
    id,
    title,
    standards: standards.map(([sid, stitle, rows]) => ({
      id: sid,
      title: stitle,
      criteria: rows.map(([code, ctitle]) => ({
        id: criterionId(DEMO_FRAMEWORK_ID, code),
        code,
        title: ctitle,
      })),
    })),
  })),
};
