// The API docs page: Swagger UI from the fastapi-offline package's files, served by this server
// (no CDN; the page's CSP allows scripts from this origin only, so this is not inline).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    defaultModelsExpandDepth: 0,
  });
})();
