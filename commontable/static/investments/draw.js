/* Drawing an investment's location on a map: a point, a line or an area.

   Progressive enhancement of the location textarea (data-location-draw): the textarea stays the
   source of truth, without this script it works as it always did, and the server checks whatever
   it holds. The map (county outlines, no tiles, Leaflet's SVG renderer), the buttons and the
   messages come from <template id="location-draw">, written by the page in the user's language.
   Keyboard: the map pans with the arrow keys (Leaflet), "Add a point here" places a point at the
   cross in the middle of the map; a live region says what happened. No inline script (CSP). */
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-location-draw]");
  var template = document.getElementById("location-draw");
  if (!area || !template || !window.L || !window.fetch || !template.content) { return; }

  var widget = template.content.firstElementChild.cloneNode(true);
  area.parentNode.insertBefore(widget, area);
  var mapEl = widget.querySelector("[data-draw-map]");
  var status = widget.querySelector("[data-draw-status]");
  var buttons = {};
  Array.prototype.forEach.call(widget.querySelectorAll("button[data-draw]"), function (b) {
    buttons[b.getAttribute("data-draw")] = b;
  });
  function text(name, values) {
    var message = widget.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      message = message.split("%(" + key + ")s").join(String(values[key]));
    });
    return message;
  }
  function say(message) {
    // Cleared first, so that the same sentence twice is still announced.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  var map = L.map(mapEl, { renderer: L.svg(), keyboard: true, scrollWheelZoom: false,
                           doubleClickZoom: false, attributionControl: false, zoomSnap: 0.5 });
  var colour = "#0072b2";
  var shapeLayer = L.layerGroup().addTo(map);
  var mode = "";       // "point", "line" or "area" while drawing; "" otherwise
  var kind = "";       // the kind of the shape in `vertices`
  var vertices = [];   // [lat, lng] pairs of the shape being drawn or shown

  function round(x) { return Math.round(x * 1e6) / 1e6; }

  function geometry() {
    var coords = vertices.map(function (v) { return [round(v[1]), round(v[0])]; });
    if (kind === "point" && coords.length === 1) { return { type: "Point", coordinates: coords[0] }; }
    if (kind === "line" && coords.length >= 2) { return { type: "LineString", coordinates: coords }; }
    if (kind === "area" && coords.length >= 3) { return { type: "Polygon", coordinates: [coords.concat([coords[0]])] }; }
    return null;
  }

  function draw() {
    shapeLayer.clearLayers();
    if (kind === "line" && vertices.length > 1) {
      L.polyline(vertices, { color: colour, weight: 3, interactive: false }).addTo(shapeLayer);
    } else if (kind === "area" && vertices.length > 1) {
      L.polygon(vertices, { color: colour, weight: 3, fillOpacity: 0.2, interactive: false }).addTo(shapeLayer);
    }
    vertices.forEach(function (v) {
      L.circleMarker(v, { radius: 6, color: colour, weight: 2, fillColor: colour, fillOpacity: 0.8, interactive: false })
        .addTo(shapeLayer);
    });
    buttons.undo.disabled = !mode || !vertices.length;
    buttons.finish.disabled = !mode || mode === "point";
    buttons.add.disabled = !mode;
    ["point", "line", "area"].forEach(function (name) {
      buttons[name].setAttribute("aria-pressed", mode === name ? "true" : "false");
    });
  }

  function write() {
    // The textarea holds what is drawn once it is a whole shape; until then, what it held.
    var shape = geometry();
    if (shape) {
      area.value = JSON.stringify({ type: "Feature", properties: {}, geometry: shape });
    }
  }

  function progress() {
    if (kind === "point") { return ""; }
    return text(kind === "line" ? "line-count" : "area-count", { count: vertices.length });
  }

  function add(latlng) {
    if (!mode) { return; }
    if (mode === "point") {
      vertices = [[latlng.lat, latlng.lng]];
      write();
      mode = "";
      draw();
      say(text("point-placed", { lat: round(latlng.lat), lon: round(latlng.lng) }));
      return;
    }
    vertices.push([latlng.lat, latlng.lng]);
    write();
    draw();
    say(progress());
  }

  function start(name) {
    mode = name;
    kind = name;
    vertices = [];
    draw();
    say(text("start-" + name));
  }

  function finish() {
    if (!mode) { return; }
    var needed = mode === "area" ? 3 : 2;
    if (vertices.length < needed) { say(text(mode === "area" ? "area-short" : "line-short")); return; }
    var finished = mode;
    mode = "";
    write();
    draw();
    say(text(finished === "area" ? "area-done" : "line-done", { count: vertices.length }));
  }

  function fromTextarea() {
    // Show what the textarea holds (the saved location, or pasted GeoJSON) when it is one shape.
    var value = area.value.trim();
    mode = "";
    kind = "";
    vertices = [];
    if (value) {
      var data;
      try { data = JSON.parse(value); } catch (e) { data = null; }
      if (data && data.type === "FeatureCollection" && data.features && data.features.length === 1) { data = data.features[0]; }
      if (data && data.type === "Feature") { data = data.geometry; }
      var c = data && data.coordinates;
      var pair = function (p) { return [p[1], p[0]]; };
      if (data && data.type === "Point" && c) { kind = "point"; vertices = [pair(c)]; }
      else if (data && data.type === "LineString" && c) { kind = "line"; vertices = c.map(pair); }
      else if (data && data.type === "Polygon" && c && c[0]) { kind = "area"; vertices = c[0].slice(0, -1).map(pair); }
      else { say(text("unknown")); }
    }
    draw();
  }

  map.on("click", function (event) { add(event.latlng); });
  buttons.point.addEventListener("click", function () { start("point"); });
  buttons.line.addEventListener("click", function () { start("line"); });
  buttons.area.addEventListener("click", function () { start("area"); });
  buttons.add.addEventListener("click", function () { add(map.getCenter()); });
  buttons.finish.addEventListener("click", finish);
  buttons.undo.addEventListener("click", function () {
    if (!vertices.length) { return; }
    vertices.pop();
    write();
    draw();
    say(vertices.length ? progress() : text("undone-all"));
  });
  buttons.clear.addEventListener("click", function () {
    mode = "";
    kind = "";
    vertices = [];
    area.value = "";
    draw();
    say(text("cleared"));
  });
  area.addEventListener("input", fromTextarea);

  fromTextarea();
  fetch(mapEl.getAttribute("data-counties"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (counties) {
      var base = L.geoJSON(counties, { interactive: false, style: { color: "#767676", weight: 1, fill: false } }).addTo(map);
      if (vertices.length) {
        map.fitBounds(L.latLngBounds(vertices), { maxZoom: 14, padding: [30, 30] });
      } else {
        map.fitBounds(base.getBounds());
      }
    })
    .catch(function () { map.setView([44.95, -93.2], 9); });
})();
