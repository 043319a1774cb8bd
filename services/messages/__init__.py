"""Nobody waits without knowing: the message centre (站内消息), outbound notifications, reminders and
the to-do list on each home page.

Entry points:
- inbox.notify(recipients, kind, subject, body=, link=): the one call a domain makes when something
  happens that a person waits on; the message lands in their message centre and, per their choices and
  the configured channels, goes out by e-mail or SMS in the background.
- inbox.unread_count / inbox.page / inbox.open_message / inbox.mark_all_read: the message centre.
- delivery.send_delivery(id): one outbound send with retries and backoff (run in the background);
  delivery.deliveries_page: the send log.
- channels: WeCom group robots, SMTP e-mail and SMS providers (a logging one and Aliyun's), and the
  administrator's channel configuration.
- preferences: a person's channel choices.
- reminders.reminder(kind): register a reminder provider; the scheduler sends each reminder once.
- todos.todo_provider(name): register what is waiting for a role; todos.todos_for(person) for home pages.
"""
