/* The API documentation page (/docs): Swagger UI, vendored (static/vendor/VENDORED.md), over this
 * server's /openapi.json. No validator badge (it would ask validator.swagger.io): nothing is fetched from
 * elsewhere, and the page keeps the Content-Security-Policy of every other page. */
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: box.getAttribute("data-spec"),
    domNode: box,
    validatorUrl: null,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: function () { box.setAttribute("data-ready", "1"); }
  });
})();
