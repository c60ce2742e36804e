"""LLM providers: one JSON response protocol, versioned prompts, OpenAI and Anthropic clients."""
