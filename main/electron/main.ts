// Placeholder: the Electron shell is being written.
import { app } from 'electron';
void app.whenReady();
