// The operator key the dashboard's data wants (Authorization: Bearer). It is kept in this tab's
// sessionStorage only: given once through the form, or in the address as #key=… (never sent to
// the server: a fragment stays in the browser), which is then removed from the address bar.
"use strict";

const operatorKeyName = "dandelion.operatorKey";

(function takeKeyFromAddress() {
  const match = /^#key=(.+)$/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(operatorKeyName, decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search);
})();

function askForOperatorKey() {
  const form = byId("login");
  if (!form.hidden) return;
  form.hidden = false;
  form.onsubmit = (event) => {
    event.preventDefault();
    sessionStorage.setItem(operatorKeyName, byId("operator-key").value.trim());
    form.hidden = true;
  };
}

// fetch with the key; a 401 forgets it and shows the form.
async function operatorFetch(url) {
  const key = sessionStorage.getItem(operatorKeyName);
  if (!key) {
    askForOperatorKey();
    throw new Error("the operator key is needed");
  }
  const response = await fetch(url, { cache: "no-store", headers: { Authorization: "Bearer " + key } });
  if (response.status === 401) {
    sessionStorage.removeItem(operatorKeyName);
    askForOperatorKey();
    throw new Error("the operator key was refused");
  }
  return response;
}
