/*
 * Progressive enhancement of the contribution form: pick the point on a map.
 * Without JavaScript the latitude and longitude fields work as plain inputs. Leaflet is
 * fetched only when the person opens "Exact point on the map".
 */
(function () {
  "use strict";

  function loadLeaflet(slot, done) {
    if (window.L) { done(); return; }
    var pending = 2;
    function ready() { pending -= 1; if (pending === 0) { done(); } }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = slot.dataset.leafletCss;
    css.onload = ready;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = slot.dataset.leafletJs;
    script.onload = ready;
    document.head.appendChild(script);
  }

  function start(slot) {
    var form = slot.closest("form");
    var lat = form.querySelector("[name=latitude]");
    var lon = form.querySelector("[name=longitude]");
    var L = window.L;
    slot.hidden = false;
    slot.setAttribute("role", "application");
    slot.setAttribute("aria-label", slot.dataset.label || "");
    var startLat = parseFloat(lat.value) || parseFloat(slot.dataset.lat) || 0;
    var startLon = parseFloat(lon.value) || parseFloat(slot.dataset.lon) || 0;
    var map = L.map(slot).setView([startLat, startLon], parseInt(slot.dataset.zoom, 10) || 12);
    if (slot.dataset.tiles) {
      L.tileLayer(slot.dataset.tiles, { attribution: slot.dataset.attribution || "" }).addTo(map);
    }
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
    }
    if (lat.value && lon.value) { place(L.latLng(startLat, startLon)); }
    map.on("click", function (event) { place(event.latlng); });
  }

  document.querySelectorAll("[data-pick]").forEach(function (slot) {
    var details = slot.closest("details");
    var started = false;
    function open() {
      if (started || (details && !details.open)) { return; }
      started = true;
      loadLeaflet(slot, function () { start(slot); });
    }
    if (details) { details.addEventListener("toggle", open); }
    open();
  });
})();
