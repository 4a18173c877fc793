// The API documentation page: Swagger UI, from the npm registry, reading /api/schema/.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("api-docs");
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: true,
  });
});
