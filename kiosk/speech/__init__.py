"""The audio ballot: what each kiosk screen says (`script`, no Qt) and the voice that says it
(`voice`: pyttsx3 over espeak-ng on Linux, the system voice on Windows; sounddevice plays it)."""
