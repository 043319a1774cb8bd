/* Five Small proposals: live figures on forms. Progressive enhancement only; the server computes
   and checks every number (the forms work without this file). */
(function () {
  "use strict";

  function num(input) {
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.replace(/,/g, ""));
    return isFinite(value) ? value : NaN;
  }

  // Savings calculator: (before - after) x unit price x annual output - implementation cost.
  var calculator = document.querySelector("[data-savings-calculator]");
  if (calculator) {
    var output = calculator.querySelector("[data-savings-live]");
    var fields = {};
    ["before", "after", "price", "output", "cost"].forEach(function (key) {
      fields[key] = document.querySelector("[data-calc='" + key + "']");
    });
    var updateSavings = function () {
      var v = {};
      var complete = true;
      Object.keys(fields).forEach(function (key) {
        v[key] = num(fields[key]);
        if (v[key] === null || isNaN(v[key])) { complete = false; }
      });
      if (!complete) { output.textContent = "—"; return; }
      // Work in fen (cents) to avoid showing binary rounding noise.
      var result = Math.round(((v.before - v.after) * v.price * v.output - v.cost) * 100) / 100;
      output.textContent = result.toFixed(2);
    };
    calculator.addEventListener("input", updateSavings);
    updateSavings();
  }

  // Rubric: the sum of the weights.
  var rubric = document.querySelector("[data-rubric]");
  if (rubric) {
    var sumOutput = rubric.querySelector("[data-weight-sum]");
    var updateSum = function () {
      var sum = 0;
      rubric.querySelectorAll("input[name$='-weight']").forEach(function (input) {
        var value = num(input);
        if (value) { sum += value; }
      });
      sumOutput.textContent = String(sum);
      sumOutput.classList.toggle("text-danger", sum !== 100);
    };
    rubric.addEventListener("input", updateSum);
    updateSum();
  }

  // Marking: a judge's total = sum(weight x mark / 10), shown as marks are typed.
  var markForm = document.querySelector("[data-mark-form]");
  if (markForm) {
    var totalOutput = markForm.querySelector("[data-mark-total]");
    var updateTotal = function () {
      var total = 0;
      var complete = true;
      markForm.querySelectorAll(".mark-input").forEach(function (input) {
        var mark = num(input);
        if (mark === null || isNaN(mark) || mark < 0 || mark > 10) { complete = false; return; }
        total += Number(input.getAttribute("data-weight")) * mark / 10;
      });
      totalOutput.textContent = complete ? total.toFixed(2) : "—";
    };
    markForm.addEventListener("input", updateTotal);
  }
})();
