// The API documentation page: Swagger UI, from the npm registry, reading /api/schema/.
// "Try it out" acts as the logged-in member, with the page's CSRF token on every request.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("api-docs");
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: true,
    requestInterceptor: (request) => {
      request.headers["X-CSRFToken"] = element.dataset.csrfToken;
      return request;
    },
  });
});
