/* Five Small proposals: live figures on forms. Progressive enhancement only; the server computes
   and checks every number (the forms work without this file). */
(function () {
  "use strict";

  function num(input) {
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.normalize("NFKC").replace(/[,\s]/g, ""));
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

    // The "calculate" button fills the estimate here, without sending the form: the page is not
    // reloaded, so chosen attachments and everything typed stay. Exact decimal arithmetic (BigInt
    // at 10^-4), rounded half to even to the cent like the server, which recomputes on saving.
    var button = calculator.querySelector("[data-calculate]");
    var estimate = document.querySelector("[data-savings-output]");
    var PLACES = {before: 4, after: 4, price: 4, output: 2, cost: 2};
    var scaled = function (input, places) {
      var text = (input && input.value || "").normalize("NFKC").replace(/\s+/g, "");
      if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) { text = text.replace(/,/g, ""); }
      var match = /^(\d+)(?:\.(\d*))?$/.exec(text);
      if (!match || (match[2] || "").replace(/0+$/, "").length > places) { return null; }
      return BigInt(match[1] + (match[2] || "").padEnd(places, "0").slice(0, places));
    };
    var roundHalfEven = function (value, divisor) {
      var negative = value < 0n;
      var abs = negative ? -value : value;
      var quotient = abs / divisor;
      var twice = (abs % divisor) * 2n;
      if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) { quotient += 1n; }
      return negative ? -quotient : quotient;
    };
    var cents = function (value) {
      var negative = value < 0n;
      var abs = (negative ? -value : value).toString().padStart(3, "0");
      return (negative ? "-" : "") + abs.slice(0, -2) + "." + abs.slice(-2);
    };
    if (button && estimate && typeof BigInt === "function") {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var v = {};
        var complete = Object.keys(PLACES).every(function (key) {
          v[key] = scaled(fields[key], PLACES[key]);
          return v[key] !== null;
        });
        if (!complete) { output.textContent = button.getAttribute("data-incomplete"); return; }
        // (before - after)[10^-4] x price[10^-4] x output[10^-2] is at 10^-10; cost[10^-2] lifted to it.
        var exact = (v.before - v.after) * v.price * v.output - v.cost * 100000000n;
        var result = cents(roundHalfEven(exact, 100000000n));
        output.textContent = result;
        if (result.charAt(0) !== "-") {
          estimate.value = result;
          estimate.dispatchEvent(new Event("input", {bubbles: true}));
        }
      });
    }
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
