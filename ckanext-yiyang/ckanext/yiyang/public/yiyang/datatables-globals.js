/* The globals of CKAN's datatables view (datatablesview.js reads gdataDict and gresviewId),
   which its template sets in an inline script, and its refit button's handler: an inline
   script and handler are refused by the portal's Content-Security-Policy (script-src 'self'). */
(function () {
  var script = document.currentScript;
  window.gdataDict = JSON.parse(script.getAttribute('data-dict') || '[]');
  window.gresviewId = script.getAttribute('data-view-id');
  document.addEventListener('DOMContentLoaded', function () {
    var button = document.getElementById('refit-button');
    if (button) {
      button.addEventListener('click', function (event) {
        event.preventDefault();
        if (typeof window.fitColText === 'function') { window.fitColText(); }
      });
    }
  });
})();
