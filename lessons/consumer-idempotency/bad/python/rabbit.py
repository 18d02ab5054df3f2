import aio_pika
import aiohttp
from kombu import Consumer

SMS_URL = "https://sms.internal/send"


async def on_message(message: aio_pika.IncomingMessage) -> None:
    async with aiohttp.ClientSession() as session:
        await session.post(SMS_URL, data=message.body)  # lessons: expect[consumer-idempotency]


async def consume(queue: aio_pika.Queue, session: aiohttp.ClientSession) -> None:
    await queue.consume(on_message)
    async with queue.iterator() as messages:
        async for message in messages:
            async with message.process():
                await session.post(SMS_URL + "/batch", data=message.body)  # lessons: expect[consumer-idempotency]


def handle_invoice(body, message):
    requests_session.put(f"https://billing.internal/invoices/{body['id']}", json=body)  # lessons: expect[consumer-idempotency]
    message.ack()


def kombu_consumer(channel, queue):
    return Consumer(channel, queues=[queue], callbacks=[handle_invoice])


requests_session = None
