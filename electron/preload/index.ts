// Sandboxed preload: bundled into one CommonJS file, so it may require nothing but 'electron'.
// Keep its imports to 'electron', ./create-bridge and shared/api constants and types.
import { contextBridge, ipcRenderer } from 'electron'
import { createPreloadBridge } from './create-bridge'

contextBridge.exposeInMainWorld('hookscope', createPreloadBridge(ipcRenderer))
