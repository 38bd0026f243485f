/* The displacement map: county outlines as the base (no tile server), tracts drawn as SVG and
   coloured by the chosen layer (typology, risk index, alert tiers, community reports), planned
   investments overlaid with their buffers as dashed outlines.
   Progressive enhancement: the page's table lists every tract with its class and the layer
   choice is a form, so nothing depends on this script. Switching a layer here restyles the map
   at once and keeps the address in step, so the back button and a reload show the same map. */
(function () {
  "use strict";
  var el = document.getElementById("displacement-map");
  var legendData = document.getElementById("displacement-legend");
  if (!el || !window.L || !window.fetch || !legendData) { return; }
  var legends = JSON.parse(legendData.textContent);
  var layerName = el.getAttribute("data-layer");
  var tractUrl = el.getAttribute("data-tract-url");
  el.hidden = false;
  var map = L.map(el, { renderer: L.svg(), keyboard: true, scrollWheelZoom: false, attributionControl: false });
  var tracts = null;

  function colourOf(feature) {
    var legend = legends[layerName] || { colours: {}, key: "t" };
    var value = feature.properties[legend.key];
    if (value === null || value === undefined) { value = ""; }
    return legend.colours[String(value)] || "#ffffff";
  }

  function labelOf(feature) {
    var legend = legends[layerName] || { labels: {}, key: "t" };
    var value = feature.properties[legend.key];
    if (value === null || value === undefined) { value = ""; }
    return legend.labels[String(value)] || "";
  }

  function style(feature) {
    return { color: "#555555", weight: 0.6, fillColor: colourOf(feature), fillOpacity: 0.75 };
  }

  function popup(feature) {
    var wrap = document.createElement("div");
    var link = document.createElement("a");
    link.href = tractUrl.replace("00000000000", encodeURIComponent(feature.properties.geoid));
    link.textContent = feature.properties.name || feature.properties.geoid;
    wrap.appendChild(link);
    var label = document.createElement("p");
    label.textContent = labelOf(feature);
    wrap.appendChild(label);
    return wrap;
  }

  function drawLegend() {
    var list = document.getElementById("displacement-legend-list");
    var legend = legends[layerName];
    if (!list || !legend) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    legend.items.forEach(function (item) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.background = item.colour;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(" " + item.label + " "));
      var count = document.createElement("span");
      count.className = "muted";
      count.textContent = "(" + item.count + ")";
      li.appendChild(count);
      list.appendChild(li);
    });
  }

  function switchLayer(name) {
    if (!legends[name]) { return; }
    layerName = name;
    el.setAttribute("data-layer", name);
    if (tracts) {
      tracts.setStyle(style);
      tracts.eachLayer(function (layer) {
        var path = layer.getElement && layer.getElement();
        if (path) { path.setAttribute("data-class", labelOf(layer.feature)); }
      });
    }
    drawLegend();
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("layer", name);
      url.searchParams.delete("page");
      window.history.replaceState(null, "", url.toString());
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[name=layer]"), function (input) {
    input.addEventListener("change", function () { if (input.checked) { switchLayer(input.value); } });
  });

  function json(response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }

  fetch(el.getAttribute("data-counties"), { credentials: "same-origin" })
    .then(json)
    .then(function (counties) {
      L.geoJSON(counties, { interactive: false, style: { color: "#767676", weight: 1, fill: false } }).addTo(map);
      return fetch(el.getAttribute("data-tracts"), { credentials: "same-origin" });
    })
    .then(json)
    .then(function (data) {
      tracts = L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, layer) {
          layer.bindPopup(popup(feature));
          layer.on("add", function () {
            var path = layer.getElement && layer.getElement();
            if (path) {
              path.setAttribute("data-geoid", feature.properties.geoid);
              path.setAttribute("data-class", labelOf(feature));
            }
          });
        }
      }).addTo(map);
      if (tracts.getLayers().length) { map.fitBounds(tracts.getBounds()); }
      return fetch(el.getAttribute("data-investments"), { credentials: "same-origin" });
    })
    .then(json)
    .then(function (investments) {
      L.geoJSON(investments, {
        interactive: false,
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 4, color: "#000000", weight: 1, fillColor: "#000000", fillOpacity: 0.9 });
        },
        style: function (feature) {
          var buffer = feature.properties && feature.properties.buffer;
          return buffer ? { color: "#000000", weight: 1.5, dashArray: "4 4", fill: false }
                        : { color: "#000000", weight: 2, fillOpacity: 0.1 };
        }
      }).addTo(map);
    })
    .catch(function () {
      if (!tracts) { el.hidden = true; }
    });
})();
