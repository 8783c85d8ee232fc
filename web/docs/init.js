// Renders this server's own OpenAPI description with swagger-ui (served from here, not a CDN).
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });
