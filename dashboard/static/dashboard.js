// Small enhancements only: every page works without this file.
// Copy buttons start hidden (they need this script) and are shown here.
document.querySelectorAll('[data-copy][hidden]').forEach(function (b) { b.hidden = false; });
// - [data-copy="ID"] buttons copy the text of the element with that id.
// - forms with [data-confirm="text"] ask before a destructive action.
document.addEventListener('click', function (e) {
  var b = e.target.closest('[data-copy]');
  if (!b) return;
  var el = document.getElementById(b.getAttribute('data-copy'));
  if (!el || !navigator.clipboard) return;
  navigator.clipboard.writeText(el.textContent.trim()).then(function () {
    var was = b.textContent;
    b.textContent = 'Copied';
    setTimeout(function () { b.textContent = was; }, 1500);
  });
});
document.addEventListener('submit', function (e) {
  var f = e.target.closest('form[data-confirm]');
  if (f && !window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
});
