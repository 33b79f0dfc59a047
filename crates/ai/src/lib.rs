//! AI evaluation with domestic large models over OpenAI-compatible endpoints
