// The IndexedDB database name, on its own so the popup's first paint can read its cache row with
// the raw IndexedDB API before Dexie (and everything that needs it) has loaded.
export const DB_NAME = 'qsi-evidence-clipper';
