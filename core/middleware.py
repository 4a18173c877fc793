class ContentSecurityPolicyMiddleware:
    """Sends a Content-Security-Policy that forbids inline scripts and foreign scripts.

    Posts may embed images from any https host, as on Stack Exchange; everything else
    is served by us.
    """

    policy = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' https: data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
