/*
 * Progressive enhancement of the directory pages.
 *
 * Without JavaScript the pages are complete: a list of results, addresses with "open in a
 * map app" links. With it, this script adds a map of the listed places beside the list and a
 * "use my location" button. Leaflet (about 150 KB) is only fetched when a map is shown: at
 * once on wide screens without data saving, on a button press on phones.
 */
(function () {
  "use strict";

  function loadLeaflet(slot, done) {
    if (window.L) {
      done();
      return;
    }
    var pending = 2;
    function ready() {
      pending -= 1;
      if (pending === 0) {
        done();
      }
    }
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

  function pointsOf(container) {
    var points = [];
    container.querySelectorAll("[data-lat][data-lon]").forEach(function (item) {
      var lat = parseFloat(item.dataset.lat);
      var lon = parseFloat(item.dataset.lon);
      if (isFinite(lat) && isFinite(lon)) {
        points.push({ item: item, lat: lat, lon: lon, name: item.dataset.name || "", url: item.dataset.url || "" });
      }
    });
    return points;
  }

  function popupContent(point) {
    var element;
    if (point.url) {
      element = document.createElement("a");
      element.href = point.url;
    } else {
      element = document.createElement("span");
    }
    element.textContent = point.name;
    return element;
  }

  function draw(slot, mapElement, points) {
    var L = window.L;
    var map = L.map(mapElement, { scrollWheelZoom: false, keyboard: true });
    if (slot.dataset.tiles) {
      L.tileLayer(slot.dataset.tiles, { maxZoom: 19, attribution: slot.dataset.attribution || "" }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        title: point.name,
        alt: point.name,
        keyboard: true,
        riseOnHover: true
      }).addTo(map);
      marker.bindPopup(popupContent(point));
      marker.on("popupopen", function () {
        point.item.classList.add("is-active");
      });
      marker.on("popupclose", function () {
        point.item.classList.remove("is-active");
      });
      point.item.addEventListener("mouseenter", function () {
        marker.openPopup();
      });
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 15);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
    return map;
  }

  function enhanceMap(slot) {
    var scope = slot.parentElement || document;
    var points = pointsOf(scope);
    if (!points.length) {
      return;
    }
    var mapElement = document.createElement("div");
    mapElement.className = "map";
    mapElement.id = "map-" + Math.random().toString(36).slice(2, 8);
    mapElement.setAttribute("role", "region");
    mapElement.setAttribute("aria-label", slot.dataset.mapLabel || "");
    mapElement.hidden = true;

    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "map-toggle";
    toggle.setAttribute("aria-controls", mapElement.id);
    toggle.setAttribute("aria-expanded", "false");
    toggle.textContent = slot.dataset.showLabel;

    slot.appendChild(toggle);
    slot.appendChild(mapElement);

    var map = null;
    function show() {
      mapElement.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      toggle.textContent = slot.dataset.hideLabel;
      if (scope.classList) {
        scope.classList.add("has-map");
      }
      if (map) {
        map.invalidateSize();
        return;
      }
      loadLeaflet(slot, function () {
        map = draw(slot, mapElement, points);
      });
    }
    function hide() {
      mapElement.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      toggle.textContent = slot.dataset.showLabel;
      if (scope.classList) {
        scope.classList.remove("has-map");
      }
    }
    toggle.addEventListener("click", function () {
      if (mapElement.hidden) {
        show();
      } else {
        hide();
      }
    });

    var saveData = navigator.connection && navigator.connection.saveData;
    var wide = window.matchMedia && window.matchMedia("(min-width: 60em)").matches;
    if (slot.dataset.auto === "wide" && wide && !saveData) {
      show();
    }
  }

  function enhanceLocationButton(form) {
    var near = form.querySelector("[name=near]");
    var lat = form.querySelector("[name=lat]");
    var lon = form.querySelector("[name=lon]");
    if (!near || !lat || !lon || !navigator.geolocation || !form.dataset.locateLabel) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "locate";
    button.textContent = form.dataset.locateLabel;
    near.parentElement.appendChild(button);
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(5);
          lon.value = position.coords.longitude.toFixed(5);
          near.value = "";
          form.submit();
        },
        function () {
          button.disabled = false;
          button.textContent = form.dataset.locateFailed || button.textContent;
        },
        { timeout: 10000, maximumAge: 300000 }
      );
    });
  }

  document.querySelectorAll("[data-map-slot]").forEach(enhanceMap);
  document.querySelectorAll("form.search-form").forEach(enhanceLocationButton);
})();
