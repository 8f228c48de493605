// Seating page: drag from one corner seat of a block to the other on the chart (same section)
// to fill the "block of seats" form; the server checks everything again.
(function () {
  "use strict";
  var form = document.getElementById("seat-block");
  var svg = document.querySelector(".seating-chart svg");
  if (!form || !svg) return;
  var start = null;
  function parse(label) {
    var m = /^(.+)-(\d+)-(\d+)$/.exec(label || "");
    return m ? { section: m[1], row: +m[2], number: +m[3] } : null;
  }
  function seatOf(event) {
    var el = event.target.closest ? event.target.closest("[data-seat]") : null;
    return el ? parse(el.getAttribute("data-seat")) : null;
  }
  function mark(a, b) {
    var rows = [Math.min(a.row, b.row), Math.max(a.row, b.row)];
    var nums = [Math.min(a.number, b.number), Math.max(a.number, b.number)];
    svg.querySelectorAll("[data-seat]").forEach(function (el) {
      var s = parse(el.getAttribute("data-seat"));
      var inside = s && s.section === a.section && s.row >= rows[0] && s.row <= rows[1] &&
        s.number >= nums[0] && s.number <= nums[1];
      el.classList.toggle("picked", !!inside);
    });
    return { rows: rows, nums: nums };
  }
  svg.addEventListener("pointerdown", function (event) {
    start = seatOf(event);
    if (start) event.preventDefault();
  });
  svg.addEventListener("pointerup", function (event) {
    var end = seatOf(event);
    if (!start || !end || end.section !== start.section) { start = null; return; }
    var box = mark(start, end);
    form.querySelector("[name=section]").value = start.section;
    form.querySelector("[name=rows]").value = box.rows[0] + "-" + box.rows[1];
    form.querySelector("[name=numbers]").value = box.nums[0] + "-" + box.nums[1];
    form.open = true;
    start = null;
  });
})();
