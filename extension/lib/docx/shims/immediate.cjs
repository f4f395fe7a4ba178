// Stands in for the `immediate` microtask library that `lie` (jszip's Promise fallback, unused
// where Promise exists) requires: queueMicrotask, without its <script>-element fallback for old
// browsers (see set-immediate.cjs).
module.exports = (task) => queueMicrotask(task);
