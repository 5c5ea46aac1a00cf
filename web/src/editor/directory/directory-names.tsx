import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { directoryQuery } from '../api/queries';
import { directoryNames, ID_NAMES, type DirectoryNames } from './names';

const NamesContext = createContext<DirectoryNames>(ID_NAMES);

/**
 * Gives the canvas and panels below it the directory's names, from the one directory query the inspector's
 * pickers share (invalidated with every directory change). Outside one, ids read as themselves.
 * @example <DirectoryNamesProvider><EditorCanvas /></DirectoryNamesProvider>
 */
export function DirectoryNamesProvider({ children }: { children: ReactNode }) {
  const dir = useQuery(directoryQuery);
  const names = useMemo(() => (dir.data ? directoryNames(dir.data) : ID_NAMES), [dir.data]);
  return <NamesContext.Provider value={names}>{children}</NamesContext.Provider>;
}

/** The nearest provider's names lookup (ids as themselves without one). */
export function useDirectoryNames(): DirectoryNames {
  return useContext(NamesContext);
}
