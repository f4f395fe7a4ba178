// Demo: a handbook page whose content is built by script after load and rebuilt from scratch
// when "Refresh handbook" is pressed (new DOM nodes, same text), like single-page intranet apps.
const handbook = {
  title: 'CT on-call handbook',
  subtitle: 'Out-of-hours CT for radiographers and radiology registrars',
  control: [
    ['Document ID', 'IMG-HBK-004'],
    ['Version', '1.6'],
    ['Owner', 'CT Superintendent Radiographer'],
    ['Approval date', '18/08/2026'],
    ['Next review date', '18/08/2027'],
  ],
  sections: [
    {
      id: 'before',
      heading: '1. Before you start a shift',
      paragraphs: [
        'Check the CT scanner daily quality assurance has been completed and recorded before the day team leaves. If it has not, run the water phantom test yourself before the first patient; the scanner must not be used clinically until the result is within tolerance.',
        'Log in to the radiology information system and the on-call rota so that the emergency department can see who is on duty. Make sure the contrast warmer is switched on and that the pump has enough syringes for the night.',
      ],
    },
    {
      id: 'requests',
      heading: '2. Accepting requests',
      paragraphs: [
        'Out-of-hours CT requests must be discussed with the on-call radiology registrar, who justifies each examination as the practitioner. The registrar records the justification on the request before the radiographer books the scan.',
        'Requests for CT head in suspected stroke are accepted directly from the stroke team under the agreed pathway and are scanned within twenty minutes of arrival. The registrar justifies these retrospectively within the same shift.',
      ],
    },
    {
      id: 'trauma',
      heading: '3. Major trauma',
      paragraphs: [
        'When the trauma call is put out, prepare the scanner for a whole-body trauma protocol and clear the scanning room of other patients. The trauma team leader decides when the patient is stable enough to be moved to CT.',
        'The first images are sent to PACS as soon as they are reconstructed so that the team leader can review them at the console. A provisional report is phoned to the team leader within one hour.',
      ],
    },
    {
      id: 'contrast',
      heading: '4. Contrast out of hours',
      paragraphs: [
        'The contrast safety checklist is completed for every patient, including emergency patients; where the patient cannot answer, the referring doctor completes it from the notes. A recent eGFR is not needed before emergency contrast if waiting for it would delay treatment.',
        'If a patient has a reaction, stop the injection, call the registrar and follow the anaphylaxis algorithm on the wall of the CT room. Call the cardiac arrest team for any severe reaction.',
      ],
    },
    {
      id: 'handover',
      heading: '5. Handover',
      paragraphs: [
        'At 08:00 hand over to the day CT team in person. Report any equipment faults, any examinations still awaiting a report, and any incidents during the night, and make sure each incident has been entered on the reporting system.',
      ],
    },
  ],
};

let renders = 0;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function render() {
  const app = document.getElementById('app');
  if (!app) return;
  const article = el('article', { class: 'document', id: 'document' });
  article.append(el('h1', {}, handbook.title), el('p', { class: 'subtitle' }, handbook.subtitle));
  const table = el('table', { class: 'doc-control', id: 'document-control' });
  for (const [label, value] of handbook.control) {
    const row = el('tr');
    row.append(el('th', { scope: 'row' }, label), el('td', {}, value));
    table.append(row);
  }
  article.append(table);
  for (const section of handbook.sections) {
    const s = el('section', { id: section.id });
    s.append(el('h2', {}, section.heading));
    for (const p of section.paragraphs) s.append(el('p', {}, p));
    article.append(s);
  }
  app.replaceChildren(article);
  renders += 1;
  const status = document.getElementById('render-status');
  if (status)
    status.textContent = `Rendered ${renders} time${renders === 1 ? '' : 's'} (last at ${new Date().toLocaleTimeString('en-GB')})`;
  document.body.dataset.renders = String(renders);
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('refresh')?.addEventListener('click', render);
  // Content arrives a moment after load, as it would from an API.
  setTimeout(render, 300);
});
