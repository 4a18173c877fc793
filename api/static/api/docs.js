// The API documentation page: Swagger UI, from the npm registry, reading /api/schema/.
// "Try it out" acts as the logged-in member, with the page's CSRF token on every request.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("api-docs");
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    // Without deep links the operations' paths are text, not links inside their toggle buttons
    // (a control inside a control, which screen readers cannot reach: axe's nested-interactive).
    deepLinking: false,
    requestInterceptor: (request) => {
      request.headers["X-CSRFToken"] = element.dataset.csrfToken;
      return request;
    },
  });
});
