/* warta UI script (served from 'self'; the CSP allows no other script).
   Records Content-Security-Policy violations so that they are visible in the console and to
   automated checks (window.__cspViolations), and focuses the search box on "/". */
(function () {
  "use strict";
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", function (event) {
    var record = { directive: event.violatedDirective, blocked: String(event.blockedURI || ""), sample: String(event.sample || "") };
    window.__cspViolations.push(record);
    console.warn("CSP violation", record.directive, record.blocked);
  });
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    if (event.key === "/" && box && document.activeElement !== box) {
      event.preventDefault();
      box.focus();
    }
  });
})();
