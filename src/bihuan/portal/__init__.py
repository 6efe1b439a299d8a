"""The customer's pages behind the device QR code and the tracking code: no login."""
