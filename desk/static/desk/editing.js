/* The article change form's presence banner and autosave (desk/editing.py).

A static file, since the desk's Content-Security-Policy runs no inline script; its settings are
the data attributes of #desk-editing. Every text shown is set with textContent, never as HTML.

- Presence: a ping every data-ping-seconds; its answer names who else has the story open.
- Autosave: every data-autosave-seconds, if the form changed since the last autosave, and on
  leaving the page (sendBeacon on pagehide or when the tab is hidden). Never after Save: the save
  clears the autosave, and a beacon arriving after it would bring it back.
- Leaving with unsaved changes asks first (beforeunload), except after Save.
*/
(function () {
  "use strict";

  function start() {
    var root = document.getElementById("desk-editing");
    if (!root) {
      return;
    }
    var form = root.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) {
      return;
    }
    var settings = root.dataset;
    var banner = document.getElementById("desk-presence");
    var offer = document.getElementById("desk-autosave");

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value, Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      });
    }

    // Presence ---------------------------------------------------------------------------------

    function showEditors(editors) {
      banner.replaceChildren.apply(
        banner,
        editors.map(function (editor) {
          var line = document.createElement("p");
          line.textContent = editor.message;
          return line;
        })
      );
      banner.hidden = editors.length === 0;
    }

    function ping() {
      post(settings.pingUrl)
        .then(function (answer) {
          showEditors(answer.editors || []);
        })
        .catch(function () {
          /* offline or signed out: the next ping tries again */
        });
    }

    window.setInterval(ping, (Number(settings.pingSeconds) || 30) * 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        ping();
      }
    });

    if (!settings.autosaveUrl) {
      return; // read only for this person: nothing to autosave, nothing to lose
    }

    // Autosave ---------------------------------------------------------------------------------

    function snapshot() {
      // The form as it would be posted, without files, the token or the inlines' blank template.
      var fields = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name.indexOf("__prefix__") < 0) {
          fields.append(name, value);
        }
      });
      return fields.toString();
    }

    // What the article holds as loaded; null when the page already shows unsaved work (a refused
    // save shown again, or a restored autosave).
    var loaded = settings.unsaved ? null : snapshot();
    var autosaved = loaded; // what the server holds for this form
    var leaving = false; // Save (or Discard, or Restore) was chosen: nothing to keep or ask
    var sending = false;

    function unsaved() {
      return loaded === null || snapshot() !== loaded;
    }

    function autosave() {
      var now = snapshot();
      if (sending || leaving || now === autosaved) {
        return;
      }
      sending = true;
      post(settings.autosaveUrl, new URLSearchParams(now))
        .then(function () {
          autosaved = now;
        })
        .catch(function () {
          /* tried again at the next tick */
        })
        .finally(function () {
          sending = false;
        });
    }

    function autosaveOnLeaving() {
      var now = snapshot();
      if (leaving || now === autosaved || !navigator.sendBeacon) {
        return;
      }
      var body = new URLSearchParams(now);
      body.append("csrfmiddlewaretoken", token.value);
      if (navigator.sendBeacon(settings.autosaveUrl, body)) {
        autosaved = now;
      }
    }

    window.setInterval(autosave, (Number(settings.autosaveSeconds) || 20) * 1000);
    window.addEventListener("pagehide", autosaveOnLeaving);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        autosaveOnLeaving();
      }
    });
    form.addEventListener("submit", function () {
      leaving = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!leaving && unsaved()) {
        event.preventDefault();
        event.returnValue = ""; // older browsers ask only when this is set
      }
    });

    // The restore offer ------------------------------------------------------------------------

    if (!offer) {
      return;
    }
    var restore = offer.querySelector("[data-desk-restore]");
    if (restore) {
      restore.addEventListener("click", function (event) {
        if (unsaved() && !window.confirm("Replace what you have typed here with the unsaved changes from before?")) {
          event.preventDefault();
          return;
        }
        leaving = true; // what is restored is the autosave: keep it as it is
      });
    }
    var discard = offer.querySelector("[data-desk-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        discard.disabled = true;
        post(settings.discardUrl)
          .then(function () {
            if (discard.dataset.deskThen) {
              leaving = true; // back to the story as saved, as asked
              window.location.assign(discard.dataset.deskThen);
              return;
            }
            offer.remove();
            autosaved = loaded;
          })
          .catch(function () {
            discard.disabled = false;
          });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
