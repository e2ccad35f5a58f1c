/* A filter box for a long select (unit pickers, a unit's entries): an input with
   data-yiyang-filter-for="<select id>" hides the options (and empty option groups) that do not
   contain the typed words. With data-yiyang-pick-first the first match is chosen while the
   current choice is hidden. The box stays hidden without JavaScript. */
(function () {
  function wire(filter) {
    var select = document.getElementById(filter.getAttribute('data-yiyang-filter-for'));
    if (!select) { return; }
    var pickFirst = filter.hasAttribute('data-yiyang-pick-first');
    filter.hidden = false;
    filter.addEventListener('input', function () {
      var words = filter.value.trim().toLowerCase();
      select.querySelectorAll('option').forEach(function (option) {
        if (!option.value) { return; }
        option.hidden = words !== '' && option.textContent.toLowerCase().indexOf(words) === -1;
      });
      select.querySelectorAll('optgroup').forEach(function (group) {
        group.hidden = !group.querySelector('option:not([hidden])');
      });
      var current = select.selectedOptions[0];
      var first = select.querySelector('option[value]:not([value=""]):not([hidden])');
      if (pickFirst && words && first && (!current || current.hidden || current.value === '')) {
        select.value = first.value;
      }
    });
  }
  function start() {
    document.querySelectorAll('[data-yiyang-filter-for]').forEach(wire);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
