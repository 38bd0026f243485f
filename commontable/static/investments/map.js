/* The investment map: county outlines as the base (no tile server), investments drawn as SVG.
   Progressive enhancement: the page's table lists every investment shown here, so nothing depends
   on this script. Data come from data-counties and data-source on the map element. */
(function () {
  "use strict";
  var el = document.getElementById("investment-map");
  if (!el || !window.L || !window.fetch) { return; }
  el.hidden = false;
  var map = L.map(el, { renderer: L.svg(), keyboard: true, scrollWheelZoom: false, attributionControl: false });
  var colours = { point: "#0072b2", line: "#d55e00", area: "#009e73" };

  function popup(feature) {
    var wrap = document.createElement("div");
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = feature.properties.name;
    wrap.appendChild(link);
    if (feature.properties.stage_label) {
      var stage = document.createElement("p");
      stage.textContent = feature.properties.stage_label;
      wrap.appendChild(stage);
    }
    return wrap;
  }

  fetch(el.getAttribute("data-counties"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (counties) {
      var base = L.geoJSON(counties, { interactive: false, style: { color: "#767676", weight: 1, fill: false } }).addTo(map);
      map.fitBounds(base.getBounds());
      return fetch(el.getAttribute("data-source"), { credentials: "same-origin" });
    })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: colours.point, weight: 2, fillColor: colours.point, fillOpacity: 0.7 });
        },
        style: function (feature) {
          var area = /Polygon/.test(feature.geometry.type);
          return { color: area ? colours.area : colours.line, weight: 3, fillOpacity: area ? 0.25 : 0 };
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature)); }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { maxZoom: 13, padding: [20, 20] }); }
    })
    .catch(function () { el.hidden = true; });
})();
