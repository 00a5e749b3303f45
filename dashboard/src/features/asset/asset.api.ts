import type { AssetState, DeviceCommandRecord, DeviceHistoryResponse, SendCommandRequest, Vehicle } from '@sanitation/contracts';
import { api } from '../../api/http';
import type { HistoryRequest } from './history-query';

const enc = encodeURIComponent;

export const loadAsset = (id: string, signal?: AbortSignal) => api.get<AssetState>(`/map/assets/${enc(id)}`, undefined, signal);

export const loadHistory = (id: string, q: HistoryRequest, signal?: AbortSignal) =>
  api.get<DeviceHistoryResponse>(`/devices/${enc(id)}/history`, { ...q }, signal);

export const sendCommand = (id: string, cmd: SendCommandRequest) => api.post<DeviceCommandRecord>(`/devices/${enc(id)}/commands`, cmd);

export const readCommand = (id: string, cmdId: string) => api.get<DeviceCommandRecord>(`/devices/${enc(id)}/commands/${enc(cmdId)}`);

export const loadVehicles = () => api.get<Vehicle[]>('/vehicles');
