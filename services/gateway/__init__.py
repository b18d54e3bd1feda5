"""REST gateway: users and tokens, the public REST contract, and the web pages; calls the services over gRPC."""
