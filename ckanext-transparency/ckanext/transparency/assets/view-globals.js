// The globals that the view scripts of CKAN and its extensions read (the table view's
// gdataDict and gresviewId, the map's preload_resource), from the JSON blocks
// <script type="application/json" data-transparency-globals> of the view templates:
// their inline scripts would be blocked by the front's Content-Security-Policy.
// The table view's "refit" button, an inline handler there, is bound here too.
(function () {
  document.querySelectorAll('script[type="application/json"][data-transparency-globals]').forEach(function (block) {
    var values = JSON.parse(block.textContent);
    Object.keys(values).forEach(function (name) { window[name] = values[name]; });
  });
  document.addEventListener('click', function (event) {
    if (event.target.closest('#refit-button') && typeof window.fitColText === 'function') {
      window.fitColText();
    }
  });
})();
