/* Sharing an experience: live counters, suggestions as the citizen types, focus on the error summary.
   The form works without this script; it only makes it quicker. */
(function () {
  "use strict";

  var form = document.getElementById("share-form");
  if (!form) return;

  var summary = document.getElementById("error-summary");
  var meTooNotice = document.getElementById("me-too-notice");
  if (summary) summary.focus();
  else if (meTooNotice) meTooNotice.focus();

  // Live counters under the title and the description (the hint text says the limits without JavaScript).
  form.querySelectorAll("[data-counter-max]").forEach(function (field) {
    var counter = document.getElementById(field.id + "-counter");
    var max = parseInt(field.dataset.counterMax, 10);
    var min = parseInt(field.dataset.counterMin || "0", 10);
    function update() {
      var length = field.value.length;
      var text = length + " / " + max + " caractères";
      if (min && length < min) text += " (encore " + (min - length) + " au minimum)";
      if (length > max) text += " : " + (length - max) + " de trop";
      counter.textContent = text;
      counter.classList.toggle("spplus-counter--over", length > max);
    }
    counter.hidden = false;
    field.addEventListener("input", update);
    update();
  });

  // Suggestions fetched as the citizen types; ticked services always stay.
  var list = document.getElementById("suggestions");
  var status = document.getElementById("suggestions-status");
  var template = document.getElementById("service-template");
  var button = document.getElementById("suggest-button");
  var title = document.getElementById("id_title");
  var description = document.getElementById("id_description");
  var timer = null;
  var lastText = null;
  if (button) button.hidden = true;

  function rowFor(typology) {
    var holder = document.createElement("ul");
    holder.innerHTML = template.innerHTML.replace(/__KEY__/g, String(typology.id));
    var row = holder.firstElementChild;
    row.querySelectorAll(".spplus-service__name").forEach(function (node) {
      node.textContent = typology.name;
    });
    return row;
  }

  function show(typologies) {
    var wanted = {};
    typologies.forEach(function (t) { wanted[String(t.id)] = t; });
    list.querySelectorAll(".spplus-service").forEach(function (row) {
      var ticked = row.querySelector("input[name=typologies]").checked;
      if (!ticked && !wanted[row.dataset.serviceKey]) row.remove();
      delete wanted[row.dataset.serviceKey];
    });
    typologies.forEach(function (t) {
      if (wanted[String(t.id)]) list.appendChild(rowFor(t));
    });
    var count = list.children.length;
    status.hidden = false;
    status.textContent = count
      ? count + (count > 1 ? " services proposés" : " service proposé") + " d'après votre texte : cochez ceux qui vous concernent (3 au plus)."
      : "Aucun service détecté pour l'instant : précisez votre récit, ou saisissez le nom de l'organisme ci-dessous.";
  }

  function fetchSuggestions() {
    var text = title.value + "\n" + description.value;
    if (text.trim().length < 3 || text === lastText) return;
    lastText = text;
    var url = form.dataset.suggestUrl + "?texte=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && text === lastText) show(data.typologies); })
      .catch(function () { if (button) button.hidden = false; });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 350);
  }

  if (list && template && title && description && window.fetch) {
    title.addEventListener("input", schedule);
    description.addEventListener("input", schedule);
  } else if (button) {
    button.hidden = false;
  }

  // Similar published experiences, refreshed when the story, the services or the postal code change.
  var similar = document.getElementById("similar");
  var similarResults = document.getElementById("similar-results");
  var similarButton = document.getElementById("similar-button");
  var postalCode = document.getElementById("id_postal_code");
  var similarTimer = null;
  var lastQuery = null;

  function similarQuery() {
    var params = new URLSearchParams();
    params.append("title", title.value);
    params.append("description", description.value);
    form.querySelectorAll("input[name=typologies]:checked").forEach(function (box) {
      params.append("typologies", box.value);
    });
    if (postalCode) params.append("postal_code", postalCode.value);
    return params.toString();
  }

  function fetchSimilar() {
    if ((title.value + description.value).trim().length < 20) return;
    var query = similarQuery();
    if (query === lastQuery) return;
    lastQuery = query;
    fetch(similar.dataset.similarUrl + "?" + query, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null && query === lastQuery) similarResults.innerHTML = html; })
      .catch(function () { if (similarButton) similarButton.hidden = false; });
  }

  function scheduleSimilar() {
    window.clearTimeout(similarTimer);
    similarTimer = window.setTimeout(fetchSimilar, 800);
  }

  if (similar && similarResults && title && description && window.fetch && window.URLSearchParams) {
    if (similarButton) similarButton.hidden = true;
    title.addEventListener("input", scheduleSimilar);
    description.addEventListener("input", scheduleSimilar);
    form.addEventListener("change", function (event) {
      if (event.target.name === "typologies" || event.target === postalCode) scheduleSimilar();
    });
  }
})();
