"""Notifications: an outbox written in the caller's transaction, a relay that delivers after
commit (WeCom, DingTalk, Feishu, email, SMS, webhooks, in-app), templates and preferences."""
