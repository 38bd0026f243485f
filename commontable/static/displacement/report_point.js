/* The community report form's small map: click where it happened to fill in the latitude and
   longitude fields. Progressive enhancement: without this script the two number fields work as
   they are, and the server checks whatever they hold. The map (county outlines, no tiles,
   Leaflet's SVG renderer) and its messages come from <template id="report-point">, written by the
   page in the user's language. Keyboard: the map pans with the arrow keys; the button places the
   point at the middle of the map; a live region says what happened. No inline script (CSP). */
(function () {
  "use strict";
  var lat = document.querySelector("input[data-report-lat]");
  var lon = document.querySelector("input[data-report-lon]");
  var template = document.getElementById("report-point");
  if (!lat || !lon || !template || !template.content || !window.L || !window.fetch) { return; }

  var widget = template.content.firstElementChild.cloneNode(true);
  var field = lat.closest(".field") || lat;
  field.parentNode.insertBefore(widget, field);
  var mapEl = widget.querySelector("[data-report-map]");
  var status = widget.querySelector("[data-report-status]");
  function say(message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }
  function round(x) { return Math.round(x * 1e6) / 1e6; }

  var map = L.map(mapEl, { renderer: L.svg(), keyboard: true, scrollWheelZoom: false, doubleClickZoom: false,
                           attributionControl: false, zoomSnap: 0.5 });
  var marker = null;
  function show(latlng) {
    if (marker) { marker.setLatLng(latlng); return; }
    marker = L.circleMarker(latlng, { radius: 7, color: "#0072b2", weight: 3, fillColor: "#0072b2",
                                      fillOpacity: 0.8, interactive: false }).addTo(map);
  }
  function place(latlng) {
    lat.value = round(latlng.lat);
    lon.value = round(latlng.lng);
    show(latlng);
    say(widget.getAttribute("data-msg-placed").replace("%(lat)s", lat.value).replace("%(lon)s", lon.value));
  }
  function fromFields() {
    var y = parseFloat(lat.value), x = parseFloat(lon.value);
    if (isFinite(y) && isFinite(x) && Math.abs(y) <= 90 && Math.abs(x) <= 180) { show([y, x]); return true; }
    return false;
  }
  map.on("click", function (event) { place(event.latlng); });
  widget.querySelector("[data-report-centre]").addEventListener("click", function () { place(map.getCenter()); });
  lat.addEventListener("change", fromFields);
  lon.addEventListener("change", fromFields);

  var known = fromFields();
  fetch(mapEl.getAttribute("data-counties"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (counties) {
      var base = L.geoJSON(counties, { interactive: false, style: { color: "#767676", weight: 1, fill: false } }).addTo(map);
      if (known) { map.setView(marker.getLatLng(), 14); } else { map.fitBounds(base.getBounds()); }
    })
    .catch(function () { map.setView(known ? marker.getLatLng() : [44.95, -93.2], known ? 14 : 9); });
  say(widget.getAttribute("data-msg-start"));
})();
