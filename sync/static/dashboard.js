// Refreshes the live part of the dashboard every data-refresh seconds; the staff can pause it
// (WCAG 2.2.2). Without this script the page still works: the "Refresh" link reloads it.
(function () {
  var live = document.getElementById("live");
  var pause = document.getElementById("pause");
  if (!live || !window.fetch) return;
  var seconds = parseInt(live.getAttribute("data-refresh"), 10) || 20;
  var paused = false;
  pause.hidden = false;
  pause.addEventListener("click", function () {
    paused = !paused;
    pause.textContent = paused ? pause.getAttribute("data-resume") : pause.getAttribute("data-pause");
    pause.setAttribute("aria-pressed", paused ? "true" : "false");
  });
  pause.setAttribute("aria-pressed", "false");
  function tick() {
    if (paused) return;
    fetch(live.getAttribute("data-url"), { credentials: "same-origin", redirect: "manual" })
      .then(function (r) {
        if (r.type === "opaqueredirect" || r.status === 401) { window.location.reload(); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) { if (html !== null && html !== undefined) live.innerHTML = html; })
      .catch(function () {});
  }
  setInterval(tick, seconds * 1000);
})();
