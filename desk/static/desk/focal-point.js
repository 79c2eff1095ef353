// The library's focal point: a click on the picture sets focal_x / focal_y (fractions of the
// width and height) and moves the marker. Loaded as a static file: the CSP runs no inline script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-point");
  const inputX = document.getElementById("id_focal_x");
  const inputY = document.getElementById("id_focal_y");
  if (!picker || !inputX || !inputY) return;
  const picture = picker.querySelector("img");
  const marker = picker.querySelector(".focal-point-marker");

  const show = (x, y) => {
    marker.style.left = `${x * 100}%`;
    marker.style.top = `${y * 100}%`;
    marker.hidden = false;
  };
  const read = (input, fallback) => {
    const value = parseFloat(input.value);
    return Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : fallback;
  };
  const refresh = () =>
    show(read(inputX, Number(picker.dataset.focalX)), read(inputY, Number(picker.dataset.focalY)));

  picture.addEventListener("click", (event) => {
    const box = picture.getBoundingClientRect();
    const x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    const y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
    inputX.value = x.toFixed(3);
    inputY.value = y.toFixed(3);
    show(x, y);
  });
  inputX.addEventListener("input", refresh);
  inputY.addEventListener("input", refresh);
  refresh();
});
