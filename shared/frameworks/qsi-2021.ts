// QSI 2021 shipped as structure only. The colleges' criterion list is copyright and could not be
// verified from public sources (docs/framework-format.md), so this holds no standard or criterion codes:
// only the domain names that sources confirm for the predecessor edition, clearly labelled.
import { FRAMEWORK_FORMAT, type Framework } from '../schemas';

export const QSI_2021_FRAMEWORK_ID = 'qsi-2021';

export const qsi2021Structure: Framework = {
  format: FRAMEWORK_FORMAT,
  id: QSI_2021_FRAMEWORK_ID,
  name: 'QSI 2021 (structure only — import your criteria)',
  edition: 'QSI 2021',
  source:
    'Quality Standard for Imaging, The Royal College of Radiologists and The College of Radiographers. Domain names verified for ISAS v3.0 / QSI 2019 only.',
  notice:
    'This contains no QSI criteria. The QSI 2021 criterion list is the colleges’ copyright: download the standard from the College of Radiographers or RCR QSI page and import your team’s criteria list (CSV, XLSX or JSON) in Dashboard → Frameworks.',
  domains: [
    { id: 'leadership-and-management', title: 'Leadership and management', standards: [] },
    { id: 'clinical', title: 'Clinical', standards: [] },
    { id: 'facilities-resources-and-workforce', title: 'Facilities, resources and workforce', standards: [] },
    { id: 'patient-experience', title: 'Patient experience', standards: [] },
  ],
};
